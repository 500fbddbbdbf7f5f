package io.jpen.core.reliability.fuzz;

import io.jpen.core.testing.Engines;
import io.jpen.core.control.FileRoots;
import io.jpen.core.control.Daemon;
import io.jpen.core.control.CommandParser;
import io.jpen.core.control.ControlServer;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The control port over real TCP: whatever a client sends, it gets an answer and end of file, the port keeps
 * serving the next client, and a line that does not parse changes nothing.
 */
final class ControlPortTarget implements FuzzTarget {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    private final Engine engine;
    private final ControlServer control;
    private int cases;

    ControlPortTarget() {
        engine = CommandParserTarget.freshEngine();
        engine.start();
        control = ControlServer.start(Engines.penctl(engine), new Endpoint.Tcp("127.0.0.1", 0));
    }

    @Override
    public String name() {
        return "control-port";
    }

    @Override
    public List<String> dictionary() {
        return CommandParserTarget.WORDS;
    }

    @Override
    public void check(byte[] input) throws Exception {
        int nl = indexOf(input, (byte) '\n');
        String first = new String(nl < 0 ? input : Arrays.copyOf(input, nl), StandardCharsets.UTF_8);
        if (!Guard.executable(first)) return;
        boolean parses;
        try {
            OPERATOR.parse(first);
            parses = true;
        } catch (IllegalArgumentException e) {
            parses = false;
        }
        String before = EngineFingerprint.of(engine);
        String reply = send(input);
        if (!parses && !EngineFingerprint.of(engine).equals(before)) {
            throw new AssertionError("a line that does not parse changed the state; reply: " + reply);
        }
        if (++cases % 50 == 0) {
            String mode = send("mode\n".getBytes(StandardCharsets.US_ASCII));
            if (!mode.contains("roundrobin")) throw new AssertionError("the control port stopped answering: '" + mode + "'");
        }
    }

    private String send(byte[] input) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), control.port())) {
            s.setSoTimeout(4_000);
            try {
                s.getOutputStream().write(input);
                s.shutdownOutput();
            } catch (IOException e) {
                // the port may answer and close before taking everything (a line that is too long): fine
            }
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no end of file from the control port", e);
            } catch (IOException e) {
                return ""; // reset after an early answer
            }
        }
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }

    @Override
    public void close() {
        control.close();
        engine.close();
    }
}
