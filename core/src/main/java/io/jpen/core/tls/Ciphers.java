package io.jpen.core.tls;

import io.netty.handler.ssl.CipherSuiteConverter;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps Pen's ssl_ciphers (an OpenSSL cipher list) to JDK cipher-suite names. Individual suites map one to one
 * (Netty's converter); OpenSSL's classes and operators (HIGH, !aNULL, @STRENGTH ...) have no JDK meaning and are
 * refused by name rather than guessed at.
 */
public final class Ciphers {
    private Ciphers() {}

    public static List<String> toJdk(String openSsl) {
        if (openSsl == null || openSsl.isBlank()) throw new IllegalArgumentException("ssl_ciphers: empty cipher list");
        Set<String> supported = supported();
        List<String> out = new ArrayList<>();
        for (String name : openSsl.split("[:, ]+")) {
            if (name.isEmpty()) continue;
            String jdk = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
            if (jdk == null) {
                throw new IllegalArgumentException("ssl_ciphers: '" + name + "' cannot be mapped to a JDK cipher suite"
                        + (name.matches("[!+\\-@].*|[A-Z0-9]+|a[A-Z]+|e[A-Z]+|k[A-Z]+")
                        ? " (OpenSSL cipher classes and operators are not supported; list suites by name)" : ""));
            }
            if (!supported.contains(jdk)) {
                throw new IllegalArgumentException("ssl_ciphers: '" + name + "' (" + jdk + ") is not supported by this JDK");
            }
            if (!out.contains(jdk)) out.add(jdk);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("ssl_ciphers: empty cipher list");
        return out;
    }

    private static Set<String> supported() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS implementation", e);
        }
    }
}
