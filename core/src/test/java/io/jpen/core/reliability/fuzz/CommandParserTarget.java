package io.jpen.core.reliability.fuzz;

import io.jpen.core.control.FileRoots;
import io.jpen.core.control.Daemon;
import io.jpen.core.engine.Command;
import io.jpen.core.control.CommandParser;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * penctl lines: {@link CommandParser#parse} returns a command or throws IllegalArgumentException with a message,
 * nothing else; running the command on an engine never throws anything else either, and a command that answers
 * with an error has changed nothing.
 */
final class CommandParserTarget implements FuzzTarget {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    static final List<String> WORDS = List.of("servers", "server", "mode", "roundrobin", "no", "blacklist",
            "timeout", "tracking", "conn_max", "clients_max", "debug", "pending_max", "idle_timeout", "idlers",
            "tcp_fastclose", "close", "acl", "client_acl", "control_acl", "connection", "socket", "recent", "status",
            "hash", "weight", "prio", "stubborn", "http", "dummy", "tcp_nodelay", "keepalive", "ascii",
            "abort_on_error", "address", "port", "max", "hard", "permit", "deny", "on", "off", "both", "client",
            "127.0.0.1", "::1", "255.255.255.0", "0.0.0.0", "ssl_ciphers", "ssl_protocol", "ssl_option", "epoll",
            "block", "ssl_compat", "ssl_require_client_cert", "hash_method", "maglev", "modulo", "health", "role",
            "master", "backup", "fault", "1", "2", "9", "10");

    private Engine engine;
    private int uses;

    @Override
    public String name() {
        return "command-parser";
    }

    @Override
    public List<String> dictionary() {
        return WORDS;
    }

    static Engine freshEngine() {
        return new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", 1), ServerSpec.of("127.0.0.1", 2)), Settings.defaults()));
    }

    @Override
    public void check(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        Command c = parse(line);
        if (c == null || !Guard.executable(line)) return;
        if (engine == null || ++uses % 200 == 0) engine = freshEngine(); // keep the state from drifting far
        executeAndCheck(engine, c, line);
    }

    /** The command, or null when it was rejected as it should be (IllegalArgumentException with a message). */
    static Command parse(String line) {
        try {
            Command c = OPERATOR.parse(line);
            if (c == null) throw new AssertionError("parse returned null for '" + line + "'");
            return c;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("rejected without a message: '" + line + "'", e);
            }
            InWords.check(e.getMessage(), line);
            return null;
        }
    }

    static void executeAndCheck(Engine engine, Command c, String line) {
        String before = EngineFingerprint.of(engine);
        Reply r;
        try {
            r = engine.execute(c);
        } catch (RuntimeException e) {
            throw new AssertionError("executing '" + line + "' threw " + e, e);
        }
        if (r == null) throw new AssertionError("no reply for '" + line + "'");
        if (!r.ok()) {
            if (r.text() == null || r.text().isBlank()) throw new AssertionError("error without a message for '" + line + "'");
            InWords.check(r.text(), line);
            String after = EngineFingerprint.of(engine);
            if (!after.equals(before)) {
                throw new AssertionError("'" + line + "' answered an error (" + r.text() + ") yet changed the state:\n"
                        + before + "\n--- became ---\n" + after);
            }
        }
    }
}
