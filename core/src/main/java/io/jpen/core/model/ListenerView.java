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
 */
public record ListenerView(String protocol, boolean tls, List<String> tlsDomains, String source, boolean transparent,
                           List<String> acls) {
    public ListenerView {
        tlsDomains = List.copyOf(tlsDomains);
        acls = List.copyOf(acls);
    }
}
