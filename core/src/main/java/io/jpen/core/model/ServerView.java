package io.jpen.core.model;

/**
 * One server as an observer sees it at one tick. Fields added later come last; a reader of an older jpen's JSON
 * gets their defaults (null, 0), and an older reader ignores them.
 *
 * @param state                 "up", "down" (failed its check), "blacklisted", "drain", "maint" or "disabled"
 *                              (unused slot): {@code io.jpen.core.select.ServerState}
 * @param blacklistedUntilMillis epoch millis when the blacklist ends (0 when not blacklisted)
 * @param bytesSent             bytes sent to the server so far (Pen's sx)
 * @param bytesReceived         bytes received from it so far (Pen's rx)
 * @param sentPerSecond         rate over the last tick
 * @param datagramsSent         datagrams sent to the server (UDP mode; 0 for TCP)
 * @param datagramsReceived     datagrams received from it (UDP mode)
 * @param reason                why it is in its state, in plain words ("HTTP 503 from /healthz"); "" when nothing to say
 * @param stateSinceMillis      since when it is in its state (epoch millis; 0 = since the balancer started)
 * @param drainDeadlineMillis   when a timed drain closes what is left (0 = no deadline)
 * @param check                 its active check as penctl words ("http /healthz"), or null for none
 * @param checkPort             the port the check goes to (0 = the server's port)
 * @param slowstartSeconds      its slow start (0 = none)
 * @param rampShare             the share of its normal new clients it takes now: below 1 only during slow start
 * @param lastCheckOk           whether the last check passed (false before the first)
 * @param lastCheck             what the last check found, in plain words, or null before the first
 * @param lastCheckMillis       when the last check ended (epoch millis; 0 before the first)
 * @param lastCheckLatencyMillis how long the last check took, connect included
 * @param checks                checks run so far
 * @param checkSecondsSum       their durations added up
 * @param checkDurationBuckets  how many took up to each bound of {@code io.jpen.core.engine.health.HealthChecks.BUCKETS}
 *                              seconds (not cumulative); one more entry for the rest; empty without checks
 * @param proxy                 "off", "v1" or "v2": the PROXY protocol header connections to it start with
 */
public record ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                         int connections, int soft, int hard, int weight, int prio, int acl,
                         long totalConnections, long failures, long bytesSent, long bytesReceived,
                         double sentPerSecond, double receivedPerSecond, double connectionsPerSecond,
                         long datagramsSent, long datagramsReceived,
                         String reason, long stateSinceMillis, long drainDeadlineMillis,
                         String check, int checkPort, int slowstartSeconds, double rampShare,
                         boolean lastCheckOk, String lastCheck, long lastCheckMillis, double lastCheckLatencyMillis,
                         long checks, double checkSecondsSum, java.util.List<Long> checkDurationBuckets,
                         String proxy) {

    public ServerView {
        if (reason == null) reason = "";
        checkDurationBuckets = checkDurationBuckets == null ? java.util.List.of() : java.util.List.copyOf(checkDurationBuckets);
        if (proxy == null) proxy = "off"; // from a producer that predates PROXY protocol support
    }

    /** Without the PROXY setting: the form from before PROXY protocol support. */
    public ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                      int connections, int soft, int hard, int weight, int prio, int acl,
                      long totalConnections, long failures, long bytesSent, long bytesReceived,
                      double sentPerSecond, double receivedPerSecond, double connectionsPerSecond,
                      long datagramsSent, long datagramsReceived,
                      String reason, long stateSinceMillis, long drainDeadlineMillis,
                      String check, int checkPort, int slowstartSeconds, double rampShare,
                      boolean lastCheckOk, String lastCheck, long lastCheckMillis, double lastCheckLatencyMillis,
                      long checks, double checkSecondsSum, java.util.List<Long> checkDurationBuckets) {
        this(index, address, port, state, blacklistedUntilMillis, connections, soft, hard, weight, prio, acl,
                totalConnections, failures, bytesSent, bytesReceived, sentPerSecond, receivedPerSecond,
                connectionsPerSecond, datagramsSent, datagramsReceived, reason, stateSinceMillis, drainDeadlineMillis,
                check, checkPort, slowstartSeconds, rampShare, lastCheckOk, lastCheck, lastCheckMillis,
                lastCheckLatencyMillis, checks, checkSecondsSum, checkDurationBuckets, "off");
    }

    /** Without health, lifecycle and PROXY (the form from before checks, drain and slow start). */
    public ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                      int connections, int soft, int hard, int weight, int prio, int acl,
                      long totalConnections, long failures, long bytesSent, long bytesReceived,
                      double sentPerSecond, double receivedPerSecond, double connectionsPerSecond,
                      long datagramsSent, long datagramsReceived) {
        this(index, address, port, state, blacklistedUntilMillis, connections, soft, hard, weight, prio, acl,
                totalConnections, failures, bytesSent, bytesReceived, sentPerSecond, receivedPerSecond,
                connectionsPerSecond, datagramsSent, datagramsReceived,
                "", 0, 0, null, 0, 0, 1, false, null, 0, 0, 0, 0, null);
    }

    /** Without datagram counts (TCP), the form from before UDP mode. */
    public ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                      int connections, int soft, int hard, int weight, int prio, int acl,
                      long totalConnections, long failures, long bytesSent, long bytesReceived,
                      double sentPerSecond, double receivedPerSecond, double connectionsPerSecond) {
        this(index, address, port, state, blacklistedUntilMillis, connections, soft, hard, weight, prio, acl,
                totalConnections, failures, bytesSent, bytesReceived, sentPerSecond, receivedPerSecond,
                connectionsPerSecond, 0, 0);
    }
}
