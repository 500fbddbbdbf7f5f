package io.jpen.core.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.CertificateBuilder.KeyUsage;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * Certificates made in the test itself with Netty's pkitesting: EC P-256 keys written as PKCS#8 PEM
 * ({@code BEGIN PRIVATE KEY}), certificates as PEM, valid from an hour ago for a day.
 */
public final class TestCerts {
    private TestCerts() {}

    /**
     * A self-signed server certificate {@code dir/name.crt} with key {@code dir/name.key} for the given DNS names and
     * 127.0.0.1. Like openssl's {@code req -x509} it is its own CA, so a client (curl's --cacert too) can trust it alone.
     */
    public static void selfSigned(Path dir, String name, String... dnsNames) {
        CertificateBuilder b = builder("CN=" + dnsNames[0]).setIsCertificateAuthority(true)
                .setKeyUsage(true, KeyUsage.digitalSignature, KeyUsage.keyCertSign);
        for (String d : dnsNames) b.addSanDnsName(d);
        b.addSanIpAddress("127.0.0.1");
        write(dir, name, build(b, null));
    }

    /** A CA ({@code ca.crt}/{@code ca.key}) and a client certificate it signed ({@code client.crt}/{@code client.key}). */
    public static void caAndClient(Path dir) {
        X509Bundle ca = build(builder("CN=jpen test CA").setIsCertificateAuthority(true), null);
        write(dir, "ca", ca);
        write(dir, "client", build(builder("CN=client"), ca));
    }

    private static CertificateBuilder builder(String subject) {
        Instant now = Instant.now();
        return new CertificateBuilder().subject(subject).ecp256()
                .notBefore(now.minus(Duration.ofHours(1))).notAfter(now.plus(Duration.ofDays(1)));
    }

    private static X509Bundle build(CertificateBuilder b, X509Bundle issuer) {
        try {
            return issuer == null ? b.buildSelfSigned() : b.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate: " + e, e);
        }
    }

    private static void write(Path dir, String name, X509Bundle bundle) {
        try {
            Files.writeString(dir.resolve(name + ".crt"), bundle.getCertificatePEM());
            Files.writeString(dir.resolve(name + ".key"), bundle.getPrivateKeyPEM());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client context that trusts exactly the test's self-signed certificate. */
    public static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("jpen", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
