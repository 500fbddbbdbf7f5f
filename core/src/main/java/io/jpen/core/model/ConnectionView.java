package io.jpen.core.model;

/**
 * One live connection as an observer sees it.
 *
 * @param server      server index, or "emergency"/"abuse"/"none" as text in {@code serverName}
 * @param ageMillis   time since the client connected
 * @param idleMillis  time since the last byte either way
 * @param bytesUp     client to server
 * @param bytesDown   server to client
 */
public record ConnectionView(int id, String client, int server, String serverName, String state,
                             long ageMillis, long idleMillis, long bytesUp, long bytesDown) {
}
