package io.jpen.core.api.client.ssh;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What went wrong, read from what the system's {@code ssh} wrote to its standard error, in words an operator can
 * act on. ssh has no machine-readable failure codes (everything is exit status 255), so its messages are the
 * interface; the phrases matched here have been stable across OpenSSH releases for many years.
 */
record SshFailure(Kind kind, String message) {
    enum Kind {
        /** known_hosts has no key for the host: the operator may be asked. */
        UNKNOWN_HOST_KEY,
        /** known_hosts has another key for the host: never accepted from here. */
        HOST_KEY_CHANGED,
        /** The server refused every key offered (or wants a password, which the console does not type). */
        LOGIN_REFUSED,
        /** The local end of the forward could not be bound (the port was taken meanwhile): try another. */
        LOCAL_PORT_TAKEN,
        /** Name lookup, connection refused, timeout. */
        UNREACHABLE,
        OTHER
    }

    static SshFailure of(SshTarget target, int exitCode, String stderr) {
        List<String> lines = Arrays.stream(stderr.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        String text = stderr.toLowerCase(Locale.ROOT);
        String where = target.login();
        if (text.contains("remote host identification has changed") || text.contains("has changed and you have requested strict checking")) {
            String offered = lines.stream().filter(l -> l.startsWith("SHA256:")).findFirst().map(l -> " (it now offers " + trimDot(l) + ")").orElse("");
            return new SshFailure(Kind.HOST_KEY_CHANGED, "the host key of " + where + " has CHANGED since it was recorded in known_hosts"
                    + offered + ". Not attaching: this may be a man-in-the-middle attack, or the server was reinstalled. If the change "
                    + "is expected, remove the old key (ssh-keygen -R " + knownHostsName(target) + ") and attach again.");
        }
        if (text.contains("host key is known for") || text.contains("host key verification failed")) {
            return new SshFailure(Kind.UNKNOWN_HOST_KEY, "the host key of " + where + " is not in known_hosts: attach from the "
                    + "console's window to be shown its fingerprint, or log in once with " + sshCommand(target) + " to record it");
        }
        if (text.contains("permission denied")) {
            return new SshFailure(Kind.LOGIN_REFUSED, where + " refused the SSH login (" + last(lines, "permission denied")
                    + "). The console logs in with your keys without prompting: put a passphrase-protected key into ssh-agent "
                    + "(ssh-add), and check that its public key is in ~/.ssh/authorized_keys of "
                    + (target.user() == null ? "that user" : target.user()) + " there.");
        }
        if (text.contains("could not request local forwarding") || text.contains("cannot listen to port")) {
            return new SshFailure(Kind.LOCAL_PORT_TAKEN, "the local end of the tunnel could not listen (" + last(lines, "bind") + ")");
        }
        if (text.contains("could not resolve hostname") || text.contains("connection refused") || text.contains("timed out")
                || text.contains("no route to host") || text.contains("network is unreachable") || text.contains("connection closed by")
                || text.contains("connection reset")) {
            return new SshFailure(Kind.UNREACHABLE, "cannot reach " + where + ": " + stripPrefix(lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
        }
        String said = lines.isEmpty() ? "no message" : stripPrefix(lines.get(lines.size() - 1));
        return new SshFailure(Kind.OTHER, "ssh to " + where + " failed" + (exitCode >= 0 ? " (exit " + exitCode + ")" : "") + ": " + said);
    }

    /** The plain ssh command that logs in there, for an operator to type. */
    static String sshCommand(SshTarget t) {
        return "ssh " + (t.port() == -1 ? "" : "-p " + t.port() + " ") + (t.user() == null ? "" : t.user() + "@") + t.host();
    }

    /** How ssh names the host in known_hosts when the port is not 22. */
    static String knownHostsName(SshTarget t) {
        return t.port() == -1 || t.port() == 22 ? t.host() : "[" + t.host() + "]:" + t.port();
    }

    private static String last(List<String> lines, String containing) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).toLowerCase(Locale.ROOT).contains(containing)) return trimDot(stripPrefix(lines.get(i)));
        }
        return lines.isEmpty() ? "" : trimDot(stripPrefix(lines.get(lines.size() - 1)));
    }

    private static String stripPrefix(String line) {
        return line.startsWith("ssh: ") ? line.substring(5) : line;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
