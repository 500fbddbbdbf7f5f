package io.jpen.core.api;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/** TLS for the API: the server's context from PEM files, and a client context that trusts a given certificate. */
public final class ApiTls {
    private ApiTls() {}

    /** A server context from a PEM certificate chain and a PEM (PKCS#8) private key. */
    public static SslContext server(Path certPem, Path keyPem) {
        io.jpen.core.tls.Renegotiation.refuse();
        if (!Files.isReadable(certPem)) throw new IllegalArgumentException("cannot read TLS certificate " + certPem);
        if (!Files.isReadable(keyPem)) throw new IllegalArgumentException("cannot read TLS key " + keyPem);
        try {
            return SslContextBuilder.forServer(certPem.toFile(), keyPem.toFile()).build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certPem + " with key " + keyPem + ": "
                    + e.getMessage(), e);
        }
    }

    /** A client context trusting exactly the certificates in {@code certPem} (e.g. the server's self-signed one). */
    public static SSLContext trusting(Path certPem) {
        try (InputStream in = Files.newInputStream(certPem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("cert" + i++, c);
            }
            if (i == 0) throw new IllegalArgumentException("no certificate in " + certPem);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted certificate " + certPem + ": " + e.getMessage(), e);
        }
    }
}
