package io.jpen.core.api.client.ssh;

/**
 * Asks the operator whether to trust a host whose key is not in known_hosts yet. Called on a background thread,
 * may block until answered. A changed key is never asked about: that attach fails.
 */
@FunctionalInterface
public interface HostKeyQuestion {
    /** Refuses every unknown key: for reconnects, where nobody is there to ask. */
    HostKeyQuestion REFUSE = key -> false;

    /** @return true to add the key to known_hosts and go on */
    boolean trust(UnknownHostKey key);
}
