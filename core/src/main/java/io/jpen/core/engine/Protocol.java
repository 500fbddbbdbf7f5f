package io.jpen.core.engine;

import java.util.Locale;

/** What the listener speaks: TCP connections, or UDP datagrams grouped into streams per client address:port. */
public enum Protocol {
    TCP, UDP;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
