package io.jpen.core.model;

import java.util.Locale;

/**
 * Whether jpen starts each connection to a server with a PROXY protocol header (HAProxy's, spoken by nginx,
 * HAProxy, Envoy and others), and in which version: {@code v1} is one text line, {@code v2} binary.
 */
public enum ProxyVersion {
    OFF, V1, V2;

    public String word() { return name().toLowerCase(Locale.ROOT); }

    public static ProxyVersion parse(String s) {
        for (ProxyVersion v : values()) if (v.word().equals(s)) return v;
        throw new IllegalArgumentException("proxy takes v1, v2 or off, not '" + s + "'");
    }
}
