package io.jpen.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built form of a {@link TlsConfig}: server contexts (one default, one per SNI domain) ready to hand out
 * handlers. Building reads and checks every file, so a bad or missing certificate is an error when the
 * configuration is applied, never at a client's handshake.
 */
public final class TlsTerminator {
    private static final java.util.regex.Pattern CERT_BLOCK =
            java.util.regex.Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    private final SslContext defaultContext;
    private final Mapping<String, SslContext> sni;
    private final boolean serverCipherOrder;
    private final List<String> domains;

    private TlsTerminator(SslContext defaultContext, Mapping<String, SslContext> sni, boolean serverCipherOrder, List<String> domains) {
        this.defaultContext = defaultContext;
        this.sni = sni;
        this.serverCipherOrder = serverCipherOrder;
        this.domains = domains;
    }

    /** Builds the contexts, or throws IllegalArgumentException naming the file or setting that is wrong. */
    public static TlsTerminator build(TlsConfig c) {
        Renegotiation.refuse();
        if (!c.enabled()) throw new IllegalArgumentException("TLS needs a certificate (-E or ssl_certificate)");
        List<String> protocols = Protocols.enabled(c);
        List<String> ciphers = c.ciphers() == null ? null : Ciphers.toJdk(c.ciphers());
        List<X509Certificate> trusted = new ArrayList<>();
        if (c.caFile() != null) trusted.addAll(readCertificates(c.caFile(), "CA file"));
        if (c.caDir() != null) trusted.addAll(readCaDir(c.caDir()));
        ClientAuth auth = c.requireClientCert() ? ClientAuth.REQUIRE : trusted.isEmpty() ? ClientAuth.NONE : ClientAuth.OPTIONAL;

        List<X509Certificate> chain = readCertificates(c.certificate(), "certificate");
        SslContext def = context(chain, c.keyOrCertificate(), "", protocols, ciphers, trusted, auth);

        Mapping<String, SslContext> sni = null;
        List<String> domains = new ArrayList<>();
        if (c.sniPath() != null) {
            DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(def);
            for (Path crt : list(c.sniPath(), "*.crt")) {
                String file = crt.getFileName().toString();
                String domain = file.substring(0, file.length() - 4).toLowerCase(Locale.ROOT);
                Path key = crt.resolveSibling(domain + ".key");
                if (!Files.isRegularFile(key)) {
                    throw new IllegalArgumentException("ssl_sni_path: " + crt + " has no key file " + key);
                }
                List<X509Certificate> domainChain = new ArrayList<>(readCertificates(crt, "certificate for " + domain));
                Path ca = crt.resolveSibling(domain + ".ca");
                if (Files.isRegularFile(ca)) domainChain.addAll(readCertificates(ca, "CA chain for " + domain));
                mapping.add(domain, context(domainChain, key, "for " + domain, protocols, ciphers, trusted, auth));
                domains.add(domain);
            }
            if (domains.isEmpty()) throw new IllegalArgumentException("ssl_sni_path: no DOMAIN.crt files in " + c.sniPath());
            sni = mapping.build();
        }
        return new TlsTerminator(def, sni, c.options().contains("cipher_server_preference"), List.copyOf(domains));
    }

    /** The SNI domains that have their own certificate. */
    public List<String> domains() {
        return domains;
    }

    /** A new handler for one accepted client channel: SNI-aware when ssl_sni_path is set. */
    public ChannelHandler newHandler(Channel ch) {
        if (sni != null) {
            return new SniHandler(sni) {
                @Override
                protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                    return tune(super.newSslHandler(context, allocator));
                }
            };
        }
        return tune(defaultContext.newHandler(ch.alloc()));
    }

    private SslHandler tune(SslHandler h) {
        if (serverCipherOrder) {
            SSLEngine e = h.engine();
            SSLParameters p = e.getSSLParameters();
            p.setUseCipherSuitesOrder(true);
            e.setSSLParameters(p);
        }
        return h;
    }

    /** A server context for {@code chain} and the key read from {@code keyFile} (which may be the certificate file). */
    private static SslContext context(List<X509Certificate> chain, Path keyFile, String role, List<String> protocols,
                                      List<String> ciphers, List<X509Certificate> trusted, ClientAuth auth) {
        PrivateKey key = PemKeys.read(keyFile, role);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocols)
                    .clientAuth(auth);
            if (ciphers != null) b.ciphers(ciphers);
            if (!trusted.isEmpty()) b.trustManager(trusted);
            return b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use key file " + keyFile + " with its certificate: " + message(e), e);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static byte[] readFile(Path p, String what) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + p + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path p, String what) {
        String text = new String(readFile(p, what), java.nio.charset.StandardCharsets.ISO_8859_1);
        // Only the certificate blocks: a PEM file may hold the key too (Pen: "may be contained in cert").
        StringBuilder certs = new StringBuilder();
        java.util.regex.Matcher m = CERT_BLOCK.matcher(text);
        while (m.find()) certs.append(m.group()).append('\n');
        if (certs.isEmpty()) throw new IllegalArgumentException(what + " " + p + " holds no PEM certificate");
        try (InputStream in = new ByteArrayInputStream(certs.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IllegalArgumentException(what + " " + p + " holds no PEM certificate");
            return out;
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException(what + " " + p + " is not a valid PEM certificate: " + message(e), e);
        }
    }

    /** Pen's -A: a directory of CA certificates (OpenSSL's hashed names); files that are not certificates are skipped. */
    private static List<X509Certificate> readCaDir(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        for (Path p : list(dir, "*")) {
            if (!Files.isRegularFile(p)) continue;
            try {
                out.addAll(readCertificates(p, "CA certificate"));
            } catch (IllegalArgumentException skipped) {
                // hashed CA directories also hold CRLs and other files
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("CA directory " + dir + " holds no PEM certificates");
        return out;
    }

    private static List<Path> list(Path dir, String glob) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) out.add(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }
}
