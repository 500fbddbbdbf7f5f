package io.jpen.core.select;

/**
 * Why a connection went to the server it went to, decided at selection time. With {@link #FAILOVER} and
 * {@link #EMERGENCY} the server tried before ({@code after}) says more.
 */
public enum Choice {
    /** Not decided yet (still at the PROXY header), or jpen answered by itself (dummy mode). */
    NONE("not chosen"),
    TRACKED("tracked: this client went there before"),
    PINNED("pinned: an operator pinned this client to it"),
    HASH("hash of the client's address"),
    MAGLEV("Maglev hash of the client's address"),
    ROUND_ROBIN("round robin"),
    WEIGHT("weight: the fewest connections for its weight"),
    PRIO("prio: the highest priority available"),
    /** The choice was unavailable (blacklisted, full, ACL): the next server in order. */
    NEXT("the server chosen first was unavailable"),
    FAILOVER("failover"),
    SLOW_START("slow start: no other server could take the client"),
    EMERGENCY("emergency server: no other server available"),
    ABUSE("abuse server: denied by client_acl");

    private final String words;

    Choice(String words) {
        this.words = words;
    }

    /** In an operator's words; {@code after} is the server that failed just before (or -1). */
    public String describe(int after) {
        if (this == FAILOVER) return after >= 0 ? "failover after server " + after + " failed" : "failover";
        if (this == EMERGENCY && after >= 0) return "emergency server after server " + after + " failed";
        if (this == NEXT && after >= 0) return "server " + after + " was unavailable: the next in order";
        return words;
    }
}
