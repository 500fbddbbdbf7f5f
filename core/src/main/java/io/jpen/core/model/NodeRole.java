package io.jpen.core.model;

import java.util.Locale;

/**
 * This balancer's role in a high-availability pair, as keepalived's notify script reports it with {@code role
 * master|backup|fault}, and since when. Run-time state: a restarted jpen shows {@code unknown} until the next report.
 *
 * @param role        master, backup, fault, or unknown before any report
 * @param sinceMillis when the role last changed (epoch millis); 0 while unknown
 */
public record NodeRole(String role, long sinceMillis) {
    public static final NodeRole UNKNOWN = new NodeRole("unknown", 0);
    /** The roles keepalived's notify script reports (its MASTER, BACKUP, FAULT). */
    public static final java.util.List<String> ROLES = java.util.List.of("master", "backup", "fault");

    public NodeRole {
        if (role == null) role = UNKNOWN.role();
    }

    /** The role named by {@code word} (any case), or an error that lists the roles. */
    public static String parse(String word) {
        String r = word.toLowerCase(Locale.ROOT);
        if (!ROLES.contains(r)) throw new IllegalArgumentException("role takes master, backup or fault, not '" + word + "'");
        return r;
    }

    /** This role from now on: the time moves only when the role changes, so it says since when it holds. */
    public NodeRole to(String next, long nowMillis) {
        return next.equals(role) ? this : new NodeRole(next, nowMillis);
    }

    public boolean known() {
        return !role.equals(UNKNOWN.role());
    }
}
