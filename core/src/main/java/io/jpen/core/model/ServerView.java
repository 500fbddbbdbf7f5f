package io.jpen.core.model;

/**
 * One server as an observer sees it at one tick.
 *
 * @param state                 "up", "blacklisted" or "disabled" (unused slot)
 * @param blacklistedUntilMillis epoch millis when the blacklist ends (0 when not blacklisted)
 * @param bytesSent             bytes sent to the server so far (Pen's sx)
 * @param bytesReceived         bytes received from it so far (Pen's rx)
 * @param sentPerSecond         rate over the last tick
 */
public record ServerView(int index, String address, int port, String state, long blacklistedUntilMillis,
                         int connections, int soft, int hard, int weight, int prio, int acl,
                         long totalConnections, long failures, long bytesSent, long bytesReceived,
                         double sentPerSecond, double receivedPerSecond, double connectionsPerSecond) {
}
