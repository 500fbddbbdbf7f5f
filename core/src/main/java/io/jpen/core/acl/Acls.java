package io.jpen.core.acl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pen's ten access lists (0-9), immutable: a command builds the next value and the engine swaps it in whole, so the
 * data path never sees a half-edited list.
 */
public final class Acls implements AclCheck {
    public static final int COUNT = 10;
    public static final Acls EMPTY = new Acls(emptyLists());

    private final AclList[] lists;

    private Acls(AclList[] lists) {
        this.lists = lists;
    }

    private static AclList[] emptyLists() {
        AclList[] l = new AclList[COUNT];
        Arrays.fill(l, AclList.EMPTY);
        return l;
    }

    public static int checkIndex(int list) {
        if (list < 0 || list >= COUNT) throw new IllegalArgumentException("acl " + list + " out of range 0-9");
        return list;
    }

    public AclList list(int list) {
        return lists[checkIndex(list)];
    }

    /** A copy with {@code entry} appended to list {@code list} (Pen's {@code acl N ...}). */
    public Acls plus(int list, AclEntry entry) {
        AclList[] next = lists.clone();
        next[checkIndex(list)] = lists[list].plus(entry);
        return new Acls(next);
    }

    /** A copy with list {@code list} emptied (Pen's {@code no acl N}). */
    public Acls cleared(int list) {
        AclList[] next = lists.clone();
        next[checkIndex(list)] = AclList.EMPTY;
        return new Acls(next);
    }

    /** List -1 means "no list": everyone is permitted. */
    @Override
    public boolean permits(int list, InetAddress address) {
        if (list < 0 || list >= COUNT) return true;
        return lists[list].permits(address);
    }

    /**
     * The commands that recreate these lists exactly, for {@code write}: for every list {@code no acl N}, then its
     * entries in order (so loading the file also empties lists that were emptied).
     */
    public List<String> commands() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            out.add("no acl " + i);
            for (AclEntry e : lists[i].entries()) out.add("acl " + i + " " + e.text());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Acls a && Arrays.equals(a.lists, lists);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lists);
    }
}
