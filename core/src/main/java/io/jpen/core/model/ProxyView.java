package io.jpen.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * The listener's PROXY protocol side as an observer sees it: whether headers are required, from whom, and how
 * many connections came with a good header or were refused for a bad or missing one.
 *
 * @param accept   whether {@code accept_proxy} is on
 * @param acl      the ACL a sending peer must pass, -1 for any
 * @param accepted connections whose header was read and used
 * @param rejected refused connections by reason: {@code missing} (did not start with a PROXY header),
 *                 {@code malformed}, {@code oversized}, {@code timeout} (no whole header within the connect
 *                 timeout), {@code closed} (the peer left before a whole header), {@code denied} (the peer is
 *                 not permitted by the ACL)
 */
public record ProxyView(boolean accept, int acl, long accepted, Map<String, Long> rejected) {
    public ProxyView {
        rejected = rejected == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(rejected));
    }
}
