package io.jpen.core.model;

import java.util.Locale;

/** Pen's tcp_fastclose: which side's EOF closes the whole pair at once (up = server, down = client). */
public enum FastClose {
    OFF, UP, DOWN, BOTH;

    public boolean onServerEof() { return this == UP || this == BOTH; }
    public boolean onClientEof() { return this == DOWN || this == BOTH; }

    public String word() { return name().toLowerCase(Locale.ROOT); }

    public static FastClose parse(String s) {
        for (FastClose f : values()) if (f.word().equals(s)) return f;
        throw new IllegalArgumentException("tcp_fastclose takes up, down, both or off, not '" + s + "'");
    }
}
