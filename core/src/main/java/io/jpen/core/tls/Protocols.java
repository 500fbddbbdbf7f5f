package io.jpen.core.tls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pen's protocol words (-L, ssl_option no_*) as JDK protocol names. Only TLS 1.2 and 1.3 unless asked for. */
final class Protocols {
    static final List<String> DEFAULT = List.of("TLSv1.3", "TLSv1.2");

    private Protocols() {}

    static List<String> forWord(String word) {
        return switch (word) {
            case "ssl23" -> DEFAULT;
            case "tls1" -> List.of("TLSv1");
            case "tls1.1" -> List.of("TLSv1.1");
            case "tls1.2" -> List.of("TLSv1.2");
            case "tls1.3" -> List.of("TLSv1.3");
            case "ssl2", "ssl3" -> throw new IllegalArgumentException("ssl protocol '" + word
                    + "' is not supported: SSL 2 and 3 are broken and the JDK has removed them");
            default -> throw new IllegalArgumentException("ssl protocol '" + word
                    + "' is unknown (ssl23 = TLS 1.2 and 1.3, tls1, tls1.1, tls1.2, tls1.3)");
        };
    }

    /** The JDK protocol names the configuration enables; never empty. */
    static List<String> enabled(TlsConfig c) {
        Set<String> set = new LinkedHashSet<>(forWord(c.protocol()));
        for (String o : c.options()) {
            switch (o) {
                case "no_tlsv1" -> set.remove("TLSv1");
                case "no_tlsv1.1" -> set.remove("TLSv1.1");
                case "no_tlsv1.2" -> set.remove("TLSv1.2");
                case "no_tlsv1.3" -> set.remove("TLSv1.3");
                default -> { } // no_sslv2 and no_sslv3 are always true in jpen
            }
        }
        if (set.isEmpty()) throw new IllegalArgumentException("ssl_option: these options leave no TLS protocol enabled");
        return List.copyOf(set);
    }
}
