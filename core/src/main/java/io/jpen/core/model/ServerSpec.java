package io.jpen.core.model;

/**
 * How one backend is configured: Pen's {@code host[:port[:soft[:hard[:weight[:prio]]]]]} plus the ACL that
 * restricts which clients may use it, and whether connections to it start with a PROXY protocol header. A limit
 * of 0 means unlimited; acl -1 means every client may use it.
 */
public record ServerSpec(String host, int port, int soft, int hard, int weight, int prio, int acl, ProxyVersion proxy) {

    /** An empty slot, as Pen prints unused server table entries. */
    public static final ServerSpec UNUSED = new ServerSpec("0.0.0.0", 0, 0, 0, 0, 0, -1);

    /** Without a PROXY header: Pen's fields only. */
    public ServerSpec(String host, int port, int soft, int hard, int weight, int prio, int acl) {
        this(host, port, soft, hard, weight, prio, acl, ProxyVersion.OFF);
    }

    public ServerSpec {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("server address must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("server port out of range: " + port);
        if (soft < 0) throw new IllegalArgumentException("max must not be negative: " + soft);
        if (hard < 0) throw new IllegalArgumentException("hard must not be negative: " + hard);
        if (weight < 0) throw new IllegalArgumentException("weight must not be negative: " + weight);
        if (prio < 0) throw new IllegalArgumentException("prio must not be negative: " + prio);
        if (acl < -1 || acl > 9) throw new IllegalArgumentException("acl must be 0-9: " + acl);
        if (proxy == null) proxy = ProxyVersion.OFF;
    }

    public static ServerSpec of(String host, int port) {
        return new ServerSpec(host, port, 0, 0, 0, 0, -1);
    }

    public boolean unused() {
        return port == 0;
    }

    public ServerSpec withHost(String h) { return new ServerSpec(h, port, soft, hard, weight, prio, acl, proxy); }
    public ServerSpec withPort(int p) { return new ServerSpec(host, p, soft, hard, weight, prio, acl, proxy); }
    public ServerSpec withSoft(int s) { return new ServerSpec(host, port, s, hard, weight, prio, acl, proxy); }
    public ServerSpec withHard(int h) { return new ServerSpec(host, port, soft, h, weight, prio, acl, proxy); }
    public ServerSpec withWeight(int w) { return new ServerSpec(host, port, soft, hard, w, prio, acl, proxy); }
    public ServerSpec withPrio(int p) { return new ServerSpec(host, port, soft, hard, weight, p, acl, proxy); }
    public ServerSpec withAcl(int a) { return new ServerSpec(host, port, soft, hard, weight, prio, a, proxy); }
    public ServerSpec withProxy(ProxyVersion v) { return new ServerSpec(host, port, soft, hard, weight, prio, acl, v); }
}
