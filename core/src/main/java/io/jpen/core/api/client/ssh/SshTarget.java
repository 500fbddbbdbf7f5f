package io.jpen.core.api.client.ssh;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A jpen reached over SSH: {@code ssh://[user@]host[:port][?api=[addr:]port][&token-file=PATH]}. The host may be
 * an alias from the user's {@code ~/.ssh/config}; the API address is where the remote jpen listens as seen from
 * that host (loopback by default, port {@value #DEFAULT_API_PORT}); the token file is read there, by default the
 * one {@code jpen --api} creates and prints ({@code $XDG_CONFIG_HOME/jpen/api-token}, else {@code $HOME/.config/jpen/api-token}).
 *
 * @param user      the SSH login, or null for ssh's own choice (config, then the local user name)
 * @param host      host name, alias or address (IPv6 without brackets)
 * @param port      the SSH port, or -1 for ssh's own choice (config, then 22)
 * @param apiHost   the remote jpen API's address on that host
 * @param apiPort   its port
 * @param tokenFile the token file on that host, or null for jpen's default
 */
public record SshTarget(String user, String host, int port, String apiHost, int apiPort, String tokenFile) {
    public static final int DEFAULT_API_PORT = 9090;
    public static final String DEFAULT_API_HOST = "127.0.0.1";

    public SshTarget {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("an ssh:// address needs a host");
        // ssh would read a leading '-' as an option
        if (host.startsWith("-") || (user != null && user.startsWith("-"))) {
            throw new IllegalArgumentException("'" + host + "': a host or user may not start with '-'");
        }
        if (port < -1 || port == 0 || port > 65535) throw new IllegalArgumentException("SSH port " + port + " out of range");
        if (apiPort < 1 || apiPort > 65535) throw new IllegalArgumentException("API port " + apiPort + " out of range");
        if (tokenFile != null && (tokenFile.isBlank() || tokenFile.indexOf('\n') >= 0 || tokenFile.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("token-file must be a path on the remote host");
        }
    }

    /** Whether {@code address} is meant for SSH (starts with {@code ssh://}). */
    public static boolean isSsh(String address) {
        return address != null && address.strip().regionMatches(true, 0, "ssh://", 0, 6);
    }

    public static SshTarget parse(String address) {
        if (!isSsh(address)) throw new IllegalArgumentException("'" + address + "' is not an ssh:// address");
        String text = address.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ssh:// address (" + e.getReason()
                    + "); give ssh://[user@]host[:port], e.g. ssh://ops@lb1.example.org");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "': give ssh://[user@]host[:port], e.g. ssh://ops@lb1.example.org");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("'" + text + "': no path after the host; the API port goes in ?api=PORT");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String apiHost = DEFAULT_API_HOST;
        int apiPort = DEFAULT_API_PORT;
        String tokenFile = null;
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "api" -> {
                        java.net.InetSocketAddress a = apiAddress(value, text);
                        apiHost = a.getAddress().getHostAddress();
                        apiPort = a.getPort();
                    }
                    case "token-file" -> tokenFile = value;
                    default -> throw new IllegalArgumentException("'" + text + "': unknown setting '" + key
                            + "' (known: api=[addr:]port, token-file=PATH)");
                }
            }
        }
        return new SshTarget(uri.getUserInfo(), host, uri.getPort(), apiHost, apiPort, tokenFile);
    }

    /** {@code [addr:]port} as jpen's own --api takes it (IPv6 in brackets), the address resolved on this side. */
    private static java.net.InetSocketAddress apiAddress(String value, String whole) {
        try {
            return io.jpen.core.api.ApiConfig.parseBind(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + whole + "': api=" + value + ": " + e.getMessage().replaceFirst("^--api '[^']*': ", ""));
        }
    }

    /**
     * The balancer's name, for messages and lists: where ssh logs in ({@code ssh://user@host:port}), with the
     * API's address when it is not the default (two jpens on one host).
     */
    public String display() {
        return login() + (DEFAULT_API_HOST.equals(apiHost) && apiPort == DEFAULT_API_PORT ? "" : "?api=" + apiText());
    }

    /** Where ssh logs in: {@code ssh://user@host:port}, for messages about the SSH connection itself. */
    public String login() {
        return "ssh://" + (user == null ? "" : user + "@") + bracketed(host) + (port == -1 ? "" : ":" + port);
    }

    private String apiText() {
        return (DEFAULT_API_HOST.equals(apiHost) ? "" : bracketed(apiHost) + ":") + apiPort;
    }

    /** The whole address, settings included; parses back to an equal target (never holds a token). */
    public String address() {
        StringBuilder q = new StringBuilder();
        if (!DEFAULT_API_HOST.equals(apiHost) || apiPort != DEFAULT_API_PORT) q.append("api=").append(apiText());
        if (tokenFile != null) {
            if (q.length() > 0) q.append('&');
            q.append("token-file=").append(java.net.URLEncoder.encode(tokenFile, StandardCharsets.UTF_8).replace("%2F", "/").replace("%7E", "~"));
        }
        return login() + (q.length() == 0 ? "" : "?" + q);
    }

    /** The API address in the form ssh's {@code -L} takes as its destination. */
    String forwardDestination() {
        return bracketed(apiHost) + ":" + apiPort;
    }

    private static String bracketed(String h) {
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    @Override
    public String toString() {
        return address();
    }
}
