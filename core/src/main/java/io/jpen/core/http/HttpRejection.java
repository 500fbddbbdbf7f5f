package io.jpen.core.http;

/** A request jpen refuses to forward in HTTP mode: the client gets {@code status} and the connection closes. */
public final class HttpRejection extends RuntimeException {
    private final int status;
    private final boolean notHttp;

    HttpRejection(int status, String reason, boolean notHttp) {
        super(reason, null, false, false);
        this.status = status;
        this.notHttp = notHttp;
    }

    static HttpRejection bad(String reason) {
        return new HttpRejection(400, reason, false);
    }

    static HttpRejection tooLarge(String reason) {
        return new HttpRejection(431, reason, false);
    }

    static HttpRejection notHttp(String reason) {
        return new HttpRejection(400, reason, true);
    }

    public int status() {
        return status;
    }

    /** True when the bytes were not HTTP/1.x at all (as opposed to a malformed or oversized request). */
    public boolean notHttp() {
        return notHttp;
    }

    public String statusLine() {
        return "HTTP/1.1 " + status + (status == 431 ? " Request Header Fields Too Large" : " Bad Request");
    }
}
