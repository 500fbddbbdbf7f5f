package io.jpen.core.model;

/**
 * One server as an observer sees it at one tick.
 *
 * @param state                 "up", "blacklisted" or "disabled" (unused slot)
 * @param blacklistedUntilMillis epoch millis when the blacklist ends (0 when not blacklisted)
 * @param bytesSent             bytes sent to the server so far (Pen's sx)
 * @param bytesReceived         bytes received from it so far (Pen's rx)
 * @param sentPerSecond         rate over the last tick
 * @param datagramsSent         datagrams sent to the server (UDP mode; 0 for TCP)
 * @param datagramsReceived     datagrams received from it (UDP mode)
 * @param proxy                 "off", "v1" or "v2": the PROXY protocol header connections to it start with
 */
public record ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                         int connections, int soft, int hard, int weight, int prio, int acl,
                         long totalConnections, long failures, long bytesSent, long bytesReceived,
                         double sentPerSecond, double receivedPerSecond, double connectionsPerSecond,
                         long datagramsSent, long datagramsReceived, String proxy) {

    public ServerView {
        if (proxy == null) proxy = "off"; // from a producer that predates PROXY protocol support
    }

    /** Without the PROXY setting: the form from before PROXY protocol support. */
    public ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                      int connections, int soft, int hard, int weight, int prio, int acl,
                      long totalConnections, long failures, long bytesSent, long bytesReceived,
                      double sentPerSecond, double receivedPerSecond, double connectionsPerSecond,
                      long datagramsSent, long datagramsReceived) {
        this(index, address, port, state, blacklistedUntilMillis, connections, soft, hard, weight, prio, acl,
                totalConnections, failures, bytesSent, bytesReceived, sentPerSecond, receivedPerSecond,
                connectionsPerSecond, datagramsSent, datagramsReceived, "off");
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
