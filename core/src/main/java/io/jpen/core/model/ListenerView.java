package io.jpen.core.model;

import java.util.List;

/**
 * What the listener speaks and who may use it, as an observer sees it.
 *
 * @param protocol    "tcp" or "udp"
 * @param tls         whether TLS is terminated on the listener
 * @param tlsDomains  SNI domains with their own certificate
 * @param source      the source address of upstream connections, or null
 * @param transparent whether upstream connections use the client's address
 * @param acls        the access-list entries as commands ({@code acl N permit|deny ...}), in order
 * @param proxy       accept_proxy and its counts (off with no counts from producers that predate it)
 */
public record ListenerView(String protocol, boolean tls, List<String> tlsDomains, String source, boolean transparent,
                           List<String> acls, ProxyView proxy) {
    public ListenerView {
        tlsDomains = List.copyOf(tlsDomains);
        acls = List.copyOf(acls);
        if (proxy == null) proxy = new ProxyView(false, -1, 0, null);
    }

    /** Without the PROXY protocol view: the form from before it. */
    public ListenerView(String protocol, boolean tls, List<String> tlsDomains, String source, boolean transparent,
                        List<String> acls) {
        this(protocol, tls, tlsDomains, source, transparent, acls, null);
    }
}
