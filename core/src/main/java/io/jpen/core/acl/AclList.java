package io.jpen.core.acl;

import java.net.InetAddress;
import java.util.List;

/**
 * One of the ten ACLs, with Pen's verdict: the first matching entry decides; when none matches the verdict is the
 * opposite of the last entry's (so a list of denies permits everyone else); an empty list permits all.
 */
public record AclList(List<AclEntry> entries) {
    public static final AclList EMPTY = new AclList(List.of());

    public AclList {
        entries = List.copyOf(entries);
    }

    public boolean permits(InetAddress client) {
        boolean permit = false;
        for (AclEntry e : entries) {
            permit = e.permit();
            if (e.matches(client)) return permit;
        }
        return !permit;
    }

    public AclList plus(AclEntry entry) {
        var next = new java.util.ArrayList<>(entries);
        next.add(entry);
        return new AclList(next);
    }
}
