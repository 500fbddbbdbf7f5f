package io.jpen.core.http;

/** What the server's answer to a request can mean for the connection, as far as HTTP mode cares. */
public enum RequestKind {
    /** An ordinary request: its response is framed by its headers. */
    PLAIN,
    /** HEAD: its response has no body whatever its headers say. */
    HEAD,
    /** A request with {@code Upgrade}: a 101 answer turns the connection into a tunnel. */
    UPGRADE,
    /** CONNECT: a 2xx answer turns the connection into a tunnel. */
    CONNECT;

    /** Whether the server's answer may turn the connection into a tunnel. */
    public boolean switching() {
        return this == UPGRADE || this == CONNECT;
    }

    /** Whether a final response with {@code status} to this request switches the connection to a tunnel. */
    public boolean tunnelsOn(int status) {
        return this == UPGRADE ? status == 101 : this == CONNECT && status / 100 == 2;
    }
}
