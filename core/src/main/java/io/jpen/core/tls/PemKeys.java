package io.jpen.core.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a private key from a PEM file in the forms OpenSSL writes and Pen therefore reads: PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} wrote for two
 * decades) and SEC1 ({@code BEGIN EC PRIVATE KEY}); the file may hold the certificate too. BouncyCastle's PEM
 * parser does the reading. Anything else (an encrypted key, an OpenSSH key, no key at all) is an error that names
 * the file and the form it found.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String FORMS = "PKCS#8 'BEGIN PRIVATE KEY', PKCS#1 'BEGIN RSA PRIVATE KEY'"
            + " or SEC1 'BEGIN EC PRIVATE KEY'";

    private PemKeys() {}

    /**
     * The first private key in {@code file}. Errors read "cannot use key file FILE: reason", with {@code role}
     * after the file name where it helps ("for a.test"; "" for none).
     */
    public static PrivateKey read(Path file, String role) {
        try {
            return read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use key file " + file + (role.isEmpty() ? "" : " " + role)
                    + ": " + e.getMessage(), e.getCause());
        }
    }

    private static PrivateKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), e);
        }
        Matcher m = BLOCK.matcher(text);
        String otherKeyForm = null;
        while (m.find()) {
            String label = m.group(1);
            if (!label.endsWith("PRIVATE KEY")) continue; // certificates, EC PARAMETERS
            if (label.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("Proc-Type: 4,ENCRYPTED")) {
                throw new IllegalArgumentException("it holds an encrypted private key ('BEGIN " + label
                        + "'): jpen reads unencrypted keys only; decrypt it with 'openssl pkey -in " + file
                        + " -out KEY' and give that file");
            }
            if (label.equals("PRIVATE KEY") || label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")) {
                return parse(m.group(), label);
            }
            if (otherKeyForm == null) otherKeyForm = label;
        }
        if (otherKeyForm != null) {
            throw new IllegalArgumentException("it holds a key in a form jpen does not read ('BEGIN " + otherKeyForm
                    + "'); jpen reads " + FORMS);
        }
        throw new IllegalArgumentException("it holds no private key (expected " + FORMS + ")");
    }

    private static PrivateKey parse(String block, String label) {
        try (PEMParser parser = new PEMParser(new StringReader(block))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // Only the private part: SEC1 leaves the public key out when it likes (the JDK's own EC keys do).
            if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
            if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            throw new IOException("not a private key");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("its 'BEGIN " + label + "' block cannot be read as a key ("
                    + e.getMessage() + ")", e);
        }
    }
}
