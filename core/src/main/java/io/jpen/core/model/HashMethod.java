package io.jpen.core.model;

import java.util.Locale;

/**
 * How hash mode (and, with client tracking, a new client's first server) maps a client to a server:
 * {@code modulo} is Pen's {@code hash} (the client address modulo the server count); {@code maglev} looks the
 * client up in a Maglev table over the servers in rotation, so balancers with the same server list agree and
 * taking a server out moves only its own clients.
 */
public enum HashMethod {
    MODULO, MAGLEV;

    public String word() { return name().toLowerCase(Locale.ROOT); }

    public static HashMethod parse(String s) {
        for (HashMethod m : values()) if (m.word().equals(s)) return m;
        throw new IllegalArgumentException("hash_method takes modulo or maglev, not '" + s + "'");
    }
}
