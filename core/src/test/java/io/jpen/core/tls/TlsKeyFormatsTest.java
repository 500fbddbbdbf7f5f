package io.jpen.core.tls;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** -E/-K take a key in every PEM form OpenSSL writes, in the certificate's file or its own; others are named. */
@Timeout(60)
class TlsKeyFormatsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Resources resources = new Resources();

    @ParameterizedTest(name = "{0} key ({1}) in {2} file(s)")
    @CsvSource({
            "RSA, PKCS#1, 1", "RSA, PKCS#1, 2",
            "EC, SEC1, 1", "EC, SEC1, 2",
            "RSA, PKCS#8, 1", "EC, PKCS#8, 2"})
    void curlReachesTheBackendThroughTlsWithTheKeyInThisForm(String type, String form, int files) throws Exception {
        KeyPair keys = type.equals("RSA") ? KeyFiles.rsa() : KeyFiles.ec();
        String cert = KeyFiles.pem(KeyFiles.selfSigned(keys));
        String key = form.equals("PKCS#8") ? KeyFiles.pkcs8(keys.getPrivate()) : KeyFiles.traditional(keys);
        assertThat(key).startsWith(switch (form) {
            case "PKCS#1" -> "-----BEGIN RSA PRIVATE KEY-----";
            case "SEC1" -> "-----BEGIN EC PRIVATE KEY-----";
            default -> "-----BEGIN PRIVATE KEY-----";
        });
        TlsConfig tls;
        if (files == 1) {
            tls = TlsConfig.NONE.withCertificate(Files.writeString(dir.resolve("site.pem"), cert + key));
        } else {
            tls = TlsConfig.NONE.withCertificate(Files.writeString(dir.resolve("site.crt"), cert))
                    .withKey(Files.writeString(dir.resolve("site.key"), key));
        }
        HttpBackend backend = resources.keep(new HttpBackend("web"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()).withTls(tls)));
        Process curl = new ProcessBuilder("curl", "-sSk", "--max-time", "10", "https://127.0.0.1:" + e.port() + "/")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("web xff=- proto=- body=0");
    }

    @Test
    void anEncryptedKeyIsRefusedSayingSoAndNamingTheFile() throws Exception {
        KeyPair keys = KeyFiles.ec();
        Path cert = Files.writeString(dir.resolve("site.crt"), KeyFiles.pem(KeyFiles.selfSigned(keys)));
        Path pkcs8 = Files.writeString(dir.resolve("pkcs8.key"), KeyFiles.encryptedPkcs8(keys.getPrivate()));
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert).withKey(pkcs8)))
                .hasMessageStartingWith("cannot use key file " + pkcs8 + ": it holds an encrypted private key"
                        + " ('BEGIN ENCRYPTED PRIVATE KEY'): jpen reads unencrypted keys only");
        Path old = Files.writeString(dir.resolve("old.key"), KeyFiles.encryptedTraditional(keys.getPrivate()));
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert).withKey(old)))
                .hasMessageStartingWith("cannot use key file " + old + ": it holds an encrypted private key"
                        + " ('BEGIN EC PRIVATE KEY')");
    }

    @Test
    void otherFormsAndMissingOrDamagedKeysAreNamed() throws Exception {
        KeyPair keys = KeyFiles.rsa();
        Path cert = Files.writeString(dir.resolve("site.crt"), KeyFiles.pem(KeyFiles.selfSigned(keys)));
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert)))
                .hasMessage("cannot use key file " + cert + ": it holds no private key (expected PKCS#8 'BEGIN PRIVATE"
                        + " KEY', PKCS#1 'BEGIN RSA PRIVATE KEY' or SEC1 'BEGIN EC PRIVATE KEY')");
        Path ssh = Files.writeString(dir.resolve("ssh.key"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert).withKey(ssh)))
                .hasMessageStartingWith("cannot use key file " + ssh + ": it holds a key in a form jpen does not read"
                        + " ('BEGIN OPENSSH PRIVATE KEY')");
        Path damaged = Files.writeString(dir.resolve("damaged.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert).withKey(damaged)))
                .hasMessageStartingWith("cannot use key file " + damaged + ": its 'BEGIN RSA PRIVATE KEY' block cannot"
                        + " be read as a key");
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> TlsTerminator.build(TlsConfig.NONE.withCertificate(cert).withKey(missing)))
                .hasMessageStartingWith("cannot use key file " + missing + ": cannot read it: NoSuchFileException");
    }
}
