package io.jpen.core.engine.proxy;

import java.util.Locale;

/** Why a connection to an {@code accept_proxy} listener was refused before its header was used. */
public enum ProxyRejection {
    /** The connection did not start with a PROXY header at all. */
    MISSING,
    /** It started like one, but the header does not parse (Netty's decoder says what is wrong). */
    MALFORMED,
    /** A v1 line longer than 108 bytes, or a v2 header with more TLV data than jpen takes. */
    OVERSIZED,
    /** No whole header within the connect timeout (a peer that sends half a header and waits). */
    TIMEOUT,
    /** The peer closed or reset before a whole header. */
    CLOSED,
    /** The peer is not permitted by accept_proxy's ACL to send headers. */
    DENIED;

    /** The label in {@code /metrics} and the key in the snapshot. */
    public String word() { return name().toLowerCase(Locale.ROOT); }
}
