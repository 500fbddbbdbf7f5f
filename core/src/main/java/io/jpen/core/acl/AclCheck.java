package io.jpen.core.acl;

import java.net.InetAddress;

/** Answers whether ACL list {@code list} (0-9; -1 = no list) permits an address. */
@FunctionalInterface
public interface AclCheck {
    AclCheck PERMIT_ALL = (list, address) -> true;

    boolean permits(int list, InetAddress address);
}
