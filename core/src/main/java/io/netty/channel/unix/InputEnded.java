package io.netty.channel.unix;

/**
 * Records in Netty's socket state that the input has ended, without {@code shutdown(SHUT_RD)}: after the peer's FIN
 * the call changes nothing on the wire, yet Netty makes it for every half-closed socket. In Netty's package because
 * that state is package-private; used by {@code io.netty.channel.epoll.LeanSocketChannel} only.
 */
public final class InputEnded {
    private InputEnded() {
    }

    public static void mark(FileDescriptor fd) {
        for (;;) {
            int state = fd.state;
            if (FileDescriptor.isClosed(state) || FileDescriptor.isInputShutdown(state)) return;
            if (fd.casState(state, FileDescriptor.inputShutdown(state))) return;
        }
    }
}
