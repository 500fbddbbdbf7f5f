package io.jpen.core.model;

/**
 * The balancer's global settings: immutable, replaced as a whole by each command, so the data path always sees
 * a consistent set and a rejected command changes nothing.
 *
 * @param roundrobin        Pen's -r: no client tracking
 * @param trackingSeconds   Pen's -T: client table entries expire after this long (0 = never)
 * @param clientsMax        Pen's -c: client table size
 * @param blacklistSeconds  Pen's -b
 * @param timeoutSeconds    Pen's -t: connect timeout
 * @param connMax           Pen's -x: simultaneous connections
 * @param emergency         Pen's -e, or null
 * @param abuse             Pen's -B, or null
 * @param clientAcl         ACL list for clients (default 0, as in Pen), -1 = none
 * @param controlAcl        ACL list for the control port (default 0, as in Pen), -1 = none
 * @param hashMethod        hash_method: Pen's modulo (default) or maglev
 * @param debug             Pen's debug level (-d, debug N): how much is logged, see LogbackLevels
 * @param ascii             Pen's -a: dump each new connection's bytes in ASCII (see ByteDump)
 * @param abortOnError      always false: jpen refuses Pen's abort_on_error ({@link #NO_ABORT_ON_ERROR})
 */
public record Settings(
        boolean roundrobin, boolean hash, boolean weight, boolean prio, boolean stubborn,
        int trackingSeconds, int clientsMax, int blacklistSeconds, int timeoutSeconds,
        int connMax, int pendingMax,
        boolean tcpNodelay, boolean keepalive, FastClose fastClose, int idleTimeoutSeconds,
        int idlers, boolean dummy, boolean http,
        HostPort emergency, HostPort abuse, int clientAcl, int controlAcl,
        int debug, boolean ascii, boolean abortOnError, HashMethod hashMethod) {

    public static final int DEFAULT_CONN_MAX = 10_000;

    /** Why Pen's abort_on_error is refused: the JVM cannot do what it asks. */
    public static final String NO_ABORT_ON_ERROR = "abort_on_error is not supported: Pen calls abort() on a fatal error"
            + " to leave a core file, which a JVM cannot usefully do; jpen stops on a fatal error with its reason on"
            + " stderr and a failure exit status, as with 'no abort_on_error'";

    public static Settings defaults() {
        return new Settings(false, false, false, false, false,
                0, 2048, 30, 3,
                DEFAULT_CONN_MAX, 100,
                false, false, FastClose.OFF, 0,
                0, false, false,
                null, null, 0, 0, // Pen checks clients and the control port against list 0 by default (empty: all permitted)
                0, false, false, HashMethod.MODULO);
    }

    public Settings {
        positive("tracking", trackingSeconds, 0);
        positive("clients_max", clientsMax, 1);
        positive("blacklist", blacklistSeconds, 0);
        positive("timeout", timeoutSeconds, 1);
        positive("conn_max", connMax, 1);
        positive("pending_max", pendingMax, 1);
        positive("idle_timeout", idleTimeoutSeconds, 0);
        positive("idlers", idlers, 0);
        positive("debug", debug, 0);
        // A snapshot from a jpen that predates hash_method has none: that jpen hashes as Pen does.
        if (hashMethod == null) hashMethod = HashMethod.MODULO;
        if (abortOnError) throw new IllegalArgumentException(NO_ABORT_ON_ERROR);
        if (fastClose == null) throw new IllegalArgumentException("tcp_fastclose must be set");
        if (clientAcl < -1 || clientAcl > 9) throw new IllegalArgumentException("client_acl must be 0-9");
        if (controlAcl < -1 || controlAcl > 9) throw new IllegalArgumentException("control_acl must be 0-9");
    }

    private static void positive(String name, int value, int min) {
        if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
    }

    /**
     * Pen's {@code mode} reply; jpen's hash_method is appended only when it is not Pen's modulo, so by default the
     * reply is Pen's, word for word.
     */
    public String modeLine() {
        return (hash ? "" : "no ") + "hash " + (roundrobin ? "" : "no ") + "roundrobin "
                + (stubborn ? "" : "no ") + "stubborn " + (weight ? "" : "no ") + "weight "
                + (prio ? "" : "no ") + "prio"
                + (hashMethod == HashMethod.MODULO ? "" : " hash_method " + hashMethod.word());
    }

    public Settings withRoundrobin(boolean v) { return new Settings(v, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withHash(boolean v) { return new Settings(roundrobin, v, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withWeight(boolean v) { return new Settings(roundrobin, hash, v, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withPrio(boolean v) { return new Settings(roundrobin, hash, weight, v, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withStubborn(boolean v) { return new Settings(roundrobin, hash, weight, prio, v, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withTrackingSeconds(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, v, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withClientsMax(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, v, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withBlacklistSeconds(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, v, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withTimeoutSeconds(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, v, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withConnMax(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, v, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withPendingMax(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, v, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withTcpNodelay(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, v, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withKeepalive(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, v, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withFastClose(FastClose v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, v, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withIdleTimeoutSeconds(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, v, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withIdlers(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, v, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withDummy(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, v, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withHttp(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, v, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withEmergency(HostPort v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, v, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withAbuse(HostPort v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, v, clientAcl, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withClientAcl(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, v, controlAcl, debug, ascii, abortOnError, hashMethod); }
    public Settings withControlAcl(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, v, debug, ascii, abortOnError, hashMethod); }
    public Settings withDebug(int v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, v, ascii, abortOnError, hashMethod); }
    public Settings withAscii(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, v, abortOnError, hashMethod); }
    public Settings withAbortOnError(boolean v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, v, hashMethod); }
    public Settings withHashMethod(HashMethod v) { return new Settings(roundrobin, hash, weight, prio, stubborn, trackingSeconds, clientsMax, blacklistSeconds, timeoutSeconds, connMax, pendingMax, tcpNodelay, keepalive, fastClose, idleTimeoutSeconds, idlers, dummy, http, emergency, abuse, clientAcl, controlAcl, debug, ascii, abortOnError, v); }
}
