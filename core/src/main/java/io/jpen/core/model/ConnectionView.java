package io.jpen.core.model;

/**
 * One live connection as an observer sees it.
 *
 * @param server      server index, or "emergency"/"abuse"/"none" as text in {@code serverName}
 * @param ageMillis   time since the client connected
 * @param idleMillis  time since the last byte either way
 * @param bytesUp     client to server
 * @param bytesDown   server to client
 * @param protocol    "tcp", or "udp" for a UDP stream (whose "half_closed" state is Pen's half-dead)
 * @param datagramsUp datagrams client to server (UDP streams only)
 * @param via         the peer (a balancer in front) whose PROXY protocol header named {@code client}, or null when
 *                    the client connected directly
 */
public record ConnectionView(int id, String client, int server, String serverName, String state,
                             long ageMillis, long idleMillis, long bytesUp, long bytesDown,
                             String protocol, long datagramsUp, long datagramsDown, String via) {

    /** Without a PROXY peer: the form from before PROXY protocol support. */
    public ConnectionView(int id, String client, int server, String serverName, String state,
                          long ageMillis, long idleMillis, long bytesUp, long bytesDown,
                          String protocol, long datagramsUp, long datagramsDown) {
        this(id, client, server, serverName, state, ageMillis, idleMillis, bytesUp, bytesDown, protocol,
                datagramsUp, datagramsDown, null);
    }

    /** A TCP connection: the form from before UDP streams. */
    public ConnectionView(int id, String client, int server, String serverName, String state,
                          long ageMillis, long idleMillis, long bytesUp, long bytesDown) {
        this(id, client, server, serverName, state, ageMillis, idleMillis, bytesUp, bytesDown, "tcp", 0, 0);
    }
}
