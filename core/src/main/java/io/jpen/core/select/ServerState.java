package io.jpen.core.select;

/**
 * What a server is, as operators see it everywhere ({@code servers}, status page, API, metrics, console). Only
 * {@link #UP} takes new clients; which of the others applies is decided in {@link Server#state}.
 */
public enum ServerState {
    /** Takes new clients. */
    UP("up"),
    /** Failed its active health check ({@code health_fall} times in a row). */
    DOWN("down"),
    /** Pen's passive failure: a connect failed, out for the blacklist time. */
    BLACKLISTED("blacklisted"),
    /** Taken out gently by the operator: no new clients, established connections go on. */
    DRAIN("drain"),
    /** Taken out by hand for maintenance: no new clients, no checks. */
    MAINT("maint"),
    /** An unused slot in Pen's server table (port 0). */
    DISABLED("disabled");

    private final String word;

    ServerState(String word) {
        this.word = word;
    }

    /** The word shown to operators and in the API ({@code up}, {@code down}, …). */
    public String word() {
        return word;
    }

    /** The state in a sentence: "server 0 is draining". */
    public String phrase() {
        return switch (this) {
            case UP -> "is up";
            case DOWN -> "is down";
            case BLACKLISTED -> "is blacklisted";
            case DRAIN -> "is draining";
            case MAINT -> "is in maintenance";
            case DISABLED -> "is disabled";
        };
    }

    /** The state named by {@code word}, or null. */
    public static ServerState of(String word) {
        for (ServerState s : values()) if (s.word.equals(word)) return s;
        return null;
    }
}
