package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Settings;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

import static io.jpen.core.control.CommandParser.number;

/**
 * The commands that read or change one setting of the balancer (mode flags, limits, timeouts, hashing, TLS,
 * ACLs, source address, PROXY acceptance, the HA role): each line is checked here, and its command changes the
 * setting under the command lock.
 */
final class SettingCommands {
    private SettingCommands() {}

    static Function<Boolean, UnaryOperator<Settings>> flagSetter(String word) {
        return switch (word) {
            case "roundrobin" -> v -> s -> s.withRoundrobin(v);
            case "hash" -> v -> s -> s.withHash(v);
            case "weight" -> v -> s -> s.withWeight(v);
            case "prio" -> v -> s -> s.withPrio(v);
            case "stubborn" -> v -> s -> s.withStubborn(v);
            case "http" -> v -> s -> s.withHttp(v);
            case "dummy" -> v -> s -> s.withDummy(v);
            case "tcp_nodelay" -> v -> s -> s.withTcpNodelay(v);
            case "keepalive" -> v -> s -> s.withKeepalive(v);
            case "ascii" -> v -> s -> s.withAscii(v);
            case "abort_on_error" -> v -> s -> s.withAbortOnError(v);
            default -> null;
        };
    }

    static Command flag(String[] w, boolean on) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        UnaryOperator<Settings> change = flagSetter(w[0]).apply(on);
        return state -> {
            state.settings(change.apply(state.settings()));
            return Reply.EMPTY;
        };
    }

    interface IntWith {
        Settings apply(Settings s, int v);
    }

    /** {@code word} replies the value; {@code word N} sets it and replies the new value, as Pen does. */
    static Command intSetting(String[] w, int min, ToIntFunction<Settings> get, IntWith with) {
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes at most one number");
        if (w.length == 1) return state -> Reply.ok(get.applyAsInt(state.settings()) + "\n");
        int v = number(w[0], w[1], min);
        return state -> {
            state.settings(with.apply(state.settings(), v));
            return Reply.ok(v + "\n");
        };
    }

    static Command idleTimeout(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("idle_timeout takes at most one number");
        Integer v = w.length == 2 ? number("idle_timeout", w[1], 0) : null;
        return state -> {
            if (v != null) state.settings(state.settings().withIdleTimeoutSeconds(v));
            return Reply.ok("Idle timeout: " + state.settings().idleTimeoutSeconds() + " seconds\n");
        };
    }

    static Command idlers(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("idlers takes at most one number");
        Integer v = w.length == 2 ? number("idlers", w[1], 0) : null;
        return state -> {
            if (v != null) state.settings(state.settings().withIdlers(v));
            return Reply.ok("Idlers: " + state.idlersOpen() + "/" + state.settings().idlers() + "\n");
        };
    }

    static Command fastClose(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("tcp_fastclose takes one of up, down, both, off");
        if (w.length == 1) return state -> Reply.ok(state.settings().fastClose().word() + "\n");
        FastClose f = FastClose.parse(w[1]);
        return state -> {
            state.settings(state.settings().withFastClose(f));
            return Reply.EMPTY;
        };
    }

    /** {@code hash_method [modulo|maglev]}: without an argument, prints the method in use. */
    static Command hashMethod(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("hash_method takes modulo or maglev");
        if (w.length == 1) return state -> Reply.ok(state.settings().hashMethod().word() + "\n");
        io.jpen.core.model.HashMethod m = io.jpen.core.model.HashMethod.parse(w[1]);
        return state -> {
            state.settings(state.settings().withHashMethod(m));
            return Reply.EMPTY;
        };
    }

    /**
     * {@code role [master|backup|fault]}: what keepalived's notify script reports (run-time state, not saved by
     * {@code write}); without an argument, prints the role and since when it holds.
     */
    static Command role(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("role takes master, backup or fault");
        if (w.length == 1) return state -> Reply.ok(Replies.role(state.role()) + "\n");
        String next = io.jpen.core.model.NodeRole.parse(w[1]);
        return state -> {
            io.jpen.core.model.NodeRole before = state.role();
            io.jpen.core.model.NodeRole after = before.to(next, state.nowMillis());
            if (after == before) return Reply.EMPTY;
            state.role(after);
            state.events().add("role", "this node is now " + next + " (was " + before.role() + ")");
            return Reply.EMPTY;
        };
    }

    /**
     * The TLS commands: each builds the next configuration; the engine checks every file before it applies it, so a
     * bad path is refused with the old setup still in place. Words are checked here so errors come before applying.
     */
    static Command tls(String[] w, int arity, UnaryOperator<io.jpen.core.tls.TlsConfig> change) {
        if (w.length != arity + 1) {
            throw new IllegalArgumentException(w[0] + (arity == 0 ? " takes no arguments" : " takes one argument"));
        }
        change.apply(io.jpen.core.tls.TlsConfig.NONE); // validates option and protocol words
        if (arity == 1 && w[0].matches("ssl_(certificate|key|ca_file)")) FileRoots.notSpecial(w[0], DaemonCommands.path(w[0], w[1]));
        return state -> {
            state.tls(change.apply(state.tls()));
            return Reply.EMPTY;
        };
    }

    /** {@code source [IP]}: without an address, prints the one in use (Pen prints nothing when unset). */
    static Command source(String[] w) {
        if (w.length == 1) {
            return state -> Reply.ok(state.upstream().source() == null ? "" : state.upstream().source().getHostAddress());
        }
        if (w.length > 2) throw new IllegalArgumentException("source takes one IP address");
        java.net.InetAddress a = io.netty.util.NetUtil.createInetAddressFromIpAddressString(w[1]);
        if (a == null) throw new IllegalArgumentException("source: '" + w[1] + "' is not an IP address");
        return state -> {
            state.upstream(state.upstream().withSource(a));
            return Reply.EMPTY;
        };
    }

    /** {@code acl N permit|deny IPv4 [mask]} or {@code acl N permit|deny IPv6[/len]}: appends to list N. */
    static Command acl(String[] args) {
        if (args.length < 3) throw new IllegalArgumentException("acl takes N permit|deny ADDRESS [MASK]");
        int list = io.jpen.core.acl.Acls.checkIndex(number("acl", args[0]));
        io.jpen.core.acl.AclEntry entry = io.jpen.core.acl.AclEntry.parse(Arrays.copyOfRange(args, 1, args.length));
        return state -> {
            state.acls(state.acls().plus(list, entry));
            return Reply.EMPTY;
        };
    }

    /**
     * {@code accept_proxy [N]}: new connections must start with a PROXY header, sent by any peer or, with N, only
     * by peers that ACL N permits.
     */
    static Command acceptProxy(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("accept_proxy takes at most one ACL number 0-9");
        int acl = w.length == 2 ? number("accept_proxy", w[1]) : -1;
        if (acl > 9) throw new IllegalArgumentException("accept_proxy: acl " + acl + " out of range 0-9");
        io.jpen.core.model.AcceptProxy next = new io.jpen.core.model.AcceptProxy(true, acl);
        return state -> {
            state.acceptProxy(next);
            return Reply.EMPTY;
        };
    }

    /** {@code client_acl [N]} / {@code control_acl [N]}: without N, prints the list in use (-1 = none). */
    static Command aclSetting(String[] w, java.util.function.ToIntFunction<Settings> get, IntWith with) {
        if (w.length == 1) return state -> Reply.ok(Integer.toString(get.applyAsInt(state.settings())));
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes one list number 0-9");
        int v = io.jpen.core.acl.Acls.checkIndex(number(w[0], w[1]));
        return state -> {
            state.settings(with.apply(state.settings(), v));
            return Reply.EMPTY;
        };
    }
}
