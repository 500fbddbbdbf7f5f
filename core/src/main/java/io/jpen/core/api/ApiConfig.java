package io.jpen.core.api;

import io.netty.handler.ssl.SslContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How the API server listens and what it allows.
 *
 * @param bind             address and port (port 0 picks a free one)
 * @param token            the bearer token every request must carry
 * @param metricsPublic    whether {@code /metrics} may be read without the token
 * @param tls              server TLS context, or null for plain HTTP
 * @param maxBodyBytes     largest request body; larger ones get 413
 * @param maxHeaderBytes   largest request line and header block; larger ones get 431
 * @param maxStreamClients WebSocket clients at once; more get 503
 * @param maxConnections   API connections at once (streams included); when all are taken, one that has not shown the
 *                         token yet is closed to make room, and when none is left a newcomer gets 503 and is closed
 * @param idleSeconds      an HTTP connection that waits this long for a request is closed
 */
public record ApiConfig(InetSocketAddress bind, ApiToken token, boolean metricsPublic, SslContext tls,
                        int maxBodyBytes, int maxHeaderBytes, int maxStreamClients, int maxConnections,
                        int idleSeconds) {
    public static final int DEFAULT_PORT = 9090;

    public ApiConfig {
        if (bind == null) throw new IllegalArgumentException("the API needs an address to listen on");
        if (token == null) throw new IllegalArgumentException("the API needs a token");
        if (maxBodyBytes < 64) throw new IllegalArgumentException("API body limit must be at least 64 bytes");
        if (maxHeaderBytes < 512) throw new IllegalArgumentException("API header limit must be at least 512 bytes");
        if (maxStreamClients < 1) throw new IllegalArgumentException("API must allow at least one stream client");
        if (maxConnections < maxStreamClients) {
            throw new IllegalArgumentException("API connection limit must be at least the stream client limit (" + maxStreamClients + ")");
        }
        if (idleSeconds < 1) throw new IllegalArgumentException("API idle timeout must be at least 1 second");
    }

    /** Loopback, the given port, 64 KiB bodies, 8 KiB headers, 16 stream clients, 256 connections, 60 s idle. */
    public static ApiConfig of(int port, ApiToken token) {
        return new ApiConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), token, false, null,
                64 * 1024, 8 * 1024, 16, 256, 60);
    }

    public ApiConfig withBind(InetSocketAddress v) { return new ApiConfig(v, token, metricsPublic, tls, maxBodyBytes, maxHeaderBytes, maxStreamClients, maxConnections, idleSeconds); }
    public ApiConfig withMetricsPublic(boolean v) { return new ApiConfig(bind, token, v, tls, maxBodyBytes, maxHeaderBytes, maxStreamClients, maxConnections, idleSeconds); }
    public ApiConfig withTls(SslContext v) { return new ApiConfig(bind, token, metricsPublic, v, maxBodyBytes, maxHeaderBytes, maxStreamClients, maxConnections, idleSeconds); }
    public ApiConfig withMaxBodyBytes(int v) { return new ApiConfig(bind, token, metricsPublic, tls, v, maxHeaderBytes, maxStreamClients, maxConnections, idleSeconds); }
    public ApiConfig withMaxHeaderBytes(int v) { return new ApiConfig(bind, token, metricsPublic, tls, maxBodyBytes, v, maxStreamClients, maxConnections, idleSeconds); }
    public ApiConfig withMaxStreamClients(int v) { return new ApiConfig(bind, token, metricsPublic, tls, maxBodyBytes, maxHeaderBytes, v, maxConnections, idleSeconds); }
    public ApiConfig withMaxConnections(int v) { return new ApiConfig(bind, token, metricsPublic, tls, maxBodyBytes, maxHeaderBytes, maxStreamClients, v, idleSeconds); }
    public ApiConfig withIdleSeconds(int v) { return new ApiConfig(bind, token, metricsPublic, tls, maxBodyBytes, maxHeaderBytes, maxStreamClients, maxConnections, v); }

    /**
     * Parses {@code [addr:]port}: a bare port listens on loopback; IPv6 literals go in brackets
     * ({@code [::1]:9090}).
     */
    public static InetSocketAddress parseBind(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("--api needs [address:]port");
        String t = text.strip();
        String host = null;
        String port = t;
        if (t.startsWith("[")) {
            int end = t.indexOf("]:");
            if (end < 0) throw new IllegalArgumentException("--api '" + t + "': write IPv6 addresses as [addr]:port");
            host = t.substring(1, end);
            port = t.substring(end + 2);
        } else if (t.indexOf(':') >= 0) {
            int c = t.lastIndexOf(':');
            if (t.indexOf(':') != c) throw new IllegalArgumentException("--api '" + t + "': write IPv6 addresses as [addr]:port");
            host = t.substring(0, c);
            port = t.substring(c + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--api '" + t + "': '" + port + "' is not a port number");
        }
        if (p < 0 || p > 65535) throw new IllegalArgumentException("--api '" + t + "': port " + p + " out of range");
        try {
            InetAddress a = host == null || host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(a, p);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--api '" + t + "': unknown address '" + host + "'");
        }
    }
}
