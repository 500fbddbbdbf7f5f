package io.jpen.core.model;

/**
 * {@code accept_proxy [N]}: every new connection on the listener must start with a PROXY protocol header (v1 or
 * v2), whose address then stands for the client. With an ACL number, only peers that list permits may send one
 * (a front balancer's address); others are refused.
 *
 * @param acl the ACL list (0-9) a sending peer must pass, or -1 for any peer
 */
public record AcceptProxy(boolean on, int acl) {
    public static final AcceptProxy OFF = new AcceptProxy(false, -1);

    public AcceptProxy {
        if (acl < -1 || acl > 9) throw new IllegalArgumentException("accept_proxy: acl must be 0-9, not " + acl);
        if (!on) acl = -1;
    }

    /** The command that recreates this, for {@code write}. */
    public String command() {
        return !on ? "no accept_proxy" : acl < 0 ? "accept_proxy" : "accept_proxy " + acl;
    }

    /** {@code accept_proxy}'s reply: Pen's style of one line, "off" when not on. */
    public String describe() {
        return !on ? "off" : acl < 0 ? "on, from any peer" : "on, from peers permitted by acl " + acl;
    }
}
