package io.jpen.core.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TLS termination on the listener, as the operator configured it (Pen's -E -K -G -A -R -L -Z, ssl_option,
 * ssl_ciphers, ssl_sni_path). Immutable; each command builds the next value. Termination is on once a certificate
 * is set; the key defaults to the certificate file (Pen: "may be contained in cert").
 *
 * @param protocol Pen's -L word (ssl23 = the default set, TLS 1.2 and 1.3), or a single version: tls1 .. tls1.3
 * @param compat   Pen's -Z (OpenSSL bug-compatibility options); the JDK has no equivalent, so it is recorded only
 * @param options  ssl_option words in the order given
 * @param ciphers  ssl_ciphers as given (OpenSSL names), or null for the JDK's defaults
 */
public record TlsConfig(Path certificate, Path key, Path caFile, Path caDir, boolean requireClientCert,
                        String protocol, boolean compat, List<String> options, String ciphers, Path sniPath) {

    public static final TlsConfig NONE = new TlsConfig(null, null, null, null, false, "ssl23", false, List.of(), null, null);

    /** Pen's ssl_option words; jpen adds no_tlsv1.3 so any version can be switched off. */
    public static final List<String> OPTIONS = List.of("no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1.1", "no_tlsv1.2",
            "no_tlsv1.3", "cipher_server_preference");

    public TlsConfig {
        options = List.copyOf(options);
        if (protocol == null) protocol = "ssl23";
        protocol = protocol.toLowerCase(Locale.ROOT);
        Protocols.forWord(protocol); // validates
        for (String o : options) {
            if (!OPTIONS.contains(o)) {
                throw new IllegalArgumentException("ssl_option: unknown option '" + o + "' (known: " + String.join(", ", OPTIONS) + ")");
            }
        }
    }

    public boolean enabled() {
        return certificate != null;
    }

    public Path keyOrCertificate() {
        return key != null ? key : certificate;
    }

    public TlsConfig withCertificate(Path p) { return new TlsConfig(p, key, caFile, caDir, requireClientCert, protocol, compat, options, ciphers, sniPath); }
    public TlsConfig withKey(Path p) { return new TlsConfig(certificate, p, caFile, caDir, requireClientCert, protocol, compat, options, ciphers, sniPath); }
    public TlsConfig withCaFile(Path p) { return new TlsConfig(certificate, key, p, caDir, requireClientCert, protocol, compat, options, ciphers, sniPath); }
    public TlsConfig withCaDir(Path p) { return new TlsConfig(certificate, key, caFile, p, requireClientCert, protocol, compat, options, ciphers, sniPath); }
    public TlsConfig withRequireClientCert(boolean v) { return new TlsConfig(certificate, key, caFile, caDir, v, protocol, compat, options, ciphers, sniPath); }
    public TlsConfig withProtocol(String p) { return new TlsConfig(certificate, key, caFile, caDir, requireClientCert, p, compat, options, ciphers, sniPath); }
    public TlsConfig withCompat(boolean v) { return new TlsConfig(certificate, key, caFile, caDir, requireClientCert, protocol, v, options, ciphers, sniPath); }
    public TlsConfig withCiphers(String c) { return new TlsConfig(certificate, key, caFile, caDir, requireClientCert, protocol, compat, options, c, sniPath); }
    public TlsConfig withSniPath(Path p) { return new TlsConfig(certificate, key, caFile, caDir, requireClientCert, protocol, compat, options, ciphers, p); }

    /** Adds an ssl_option (a repeated option is kept once). */
    public TlsConfig withOption(String o) {
        if (options.contains(o)) return this;
        List<String> next = new ArrayList<>(options);
        next.add(o);
        return new TlsConfig(certificate, key, caFile, caDir, requireClientCert, protocol, compat, next, ciphers, sniPath);
    }

    /**
     * The commands that recreate this configuration, for {@code write}. The key comes before the certificate
     * because setting the certificate is what turns termination on.
     */
    public List<String> commands() {
        List<String> out = new ArrayList<>();
        if (!protocol.equals("ssl23")) out.add("ssl_protocol " + protocol);
        if (compat) out.add("ssl_compat");
        for (String o : options) out.add("ssl_option " + o);
        if (ciphers != null) out.add("ssl_ciphers " + ciphers);
        if (caFile != null) out.add("ssl_ca_file " + caFile);
        if (caDir != null) out.add("ssl_ca_dir " + caDir);
        if (requireClientCert) out.add("ssl_require_client_cert");
        if (sniPath != null) out.add("ssl_sni_path " + sniPath);
        if (key != null) out.add("ssl_key " + key);
        if (certificate != null) out.add("ssl_certificate " + certificate);
        return out;
    }
}
