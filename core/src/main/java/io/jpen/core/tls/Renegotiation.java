package io.jpen.core.tls;

/**
 * Client-initiated renegotiation (TLS 1.2 and older) is refused: each one makes the server do the expensive half of
 * a full handshake on a connection it has already accepted, so one client can burn a core with a few bytes. The
 * JDK refuses it process-wide with {@code jdk.tls.rejectClientInitiatedRenegotiation}, which it reads once, when the
 * first server-side handshake starts: so every place that builds a server context calls {@link #refuse()} first
 * ({@code jpen} also does at start-up). An operator who really wants renegotiation sets the property to false on
 * the java command line; that choice is kept.
 */
public final class Renegotiation {
    static final String PROPERTY = "jdk.tls.rejectClientInitiatedRenegotiation";

    private Renegotiation() {}

    public static void refuse() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, "true");
    }
}
