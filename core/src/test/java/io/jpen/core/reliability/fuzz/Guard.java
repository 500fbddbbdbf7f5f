package io.jpen.core.reliability.fuzz;

import io.netty.util.NetUtil;

import java.util.Set;

/**
 * What a fuzz case may not make jpen do on this machine: touch files outside the test (write, log, include of
 * /dev/zero...), bind new sockets, stop, or look a name up in DNS (the resolver is off this machine). Such
 * commands are still parsed; they are just not executed.
 */
final class Guard {
    private static final Set<String> NOT_EXECUTED = Set.of("write", "log", "web_stats", "pid", "include", "control",
            "listen", "exit", "transparent", "source", "ssl", "ssl_certificate", "ssl_key", "ssl_ca_file",
            "ssl_ca_dir", "ssl_sni_path");

    private Guard() {}

    /** Whether executing this line is safe here; parsing always is. */
    static boolean executable(String line) {
        String[] w = line.strip().split("\\s+");
        if (w.length == 0 || NOT_EXECUTED.contains(w[0])) return false;
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i].equals("address") && !isIpLiteral(w[i + 1])) return false;
        }
        return true;
    }

    static boolean isIpLiteral(String s) {
        return NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s);
    }

    /**
     * A second line of defence on Java 17: a security manager that lets everything through except a name
     * lookup, so a case the line check missed fails loudly instead of sending a DNS query. Returns a handle that
     * removes it, or a no-op where the JVM no longer allows one.
     */
    @SuppressWarnings("removal")
    static AutoCloseable noNameLookups() {
        SecurityManager before = System.getSecurityManager();
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkPermission(java.security.Permission perm) {
                }

                @Override
                public void checkPermission(java.security.Permission perm, Object context) {
                }

                @Override
                public void checkConnect(String host, int port) {
                    if (port == -1 && !host.equals("localhost") && !isIpLiteral(host)) {
                        throw new SecurityException("fuzz case tried to resolve the name '" + host + "'");
                    }
                }
            });
        } catch (UnsupportedOperationException | SecurityException e) {
            return () -> { };
        }
        return () -> System.setSecurityManager(before);
    }
}
