package io.jpen.core.api.client.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code ssh} process that forwards a loopback port here to the remote jpen's API and, over the same
 * connection, reads the remote token file: the remote command prints the token once on its standard output and
 * then waits for its standard input to end, which ties the session (and with it the forward) to this object.
 * The token travels inside the SSH connection and a pipe; it is never on a command line or in a file here.
 */
final class SshTunnel implements AutoCloseable {
    static final String MARK = "jpen-ssh: ";

    /**
     * Prints the token file's first line after the mark (or why it cannot), then holds the session open until
     * stdin ends. $1 is the token file, empty for jpen's default. The login shell passes the single-quoted script
     * to sh unchanged, whatever that shell is: so it must not contain a single quote itself.
     */
    private static final String SCRIPT =
            // jpen's default, as ApiToken.defaultFile finds it: an absolute XDG_CONFIG_HOME, else $HOME/.config
            "case $XDG_CONFIG_HOME in /*) c=$XDG_CONFIG_HOME;; *) c=$HOME/.config;; esac; "
            + "f=${1:-$c/jpen/api-token}; "
            + "case $f in \"~/\"*) f=$HOME/${f#\"~/\"};; esac; "
            + "if [ ! -e \"$f\" ]; then echo \"" + MARK + "missing $f\"; "
            + "elif [ ! -r \"$f\" ]; then echo \"" + MARK + "unreadable $f\"; "
            + "else printf \"" + MARK + "token %s\\n\" \"$(head -n 1 < \"$f\")\"; fi; "
            + "exec cat >/dev/null";

    private final Process process;
    private final int localPort;
    private final String token;
    private final StderrTail stderr;

    private SshTunnel(Process process, int localPort, String token, StderrTail stderr) {
        this.process = process;
        this.localPort = localPort;
        this.token = token;
        this.stderr = stderr;
    }

    int localPort() {
        return localPort;
    }

    String token() {
        return token;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Completes when ssh has ended (the connection dropped, or {@link #close}). */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Why ssh ended, once it has. */
    SshFailure exitReason(SshTarget target) {
        return SshFailure.of(target, process.isAlive() ? -1 : process.exitValue(), stderr.text());
    }

    /** What ssh said last, for reading problems of the forward (e.g. nothing listening at the API address). */
    String lastStderrLine() {
        return stderr.lastLine().orElse("");
    }

    /**
     * Starts ssh and waits until it has logged in and read the token. {@code localPort} 0 picks a free one.
     *
     * @throws SshAttachException saying what went wrong (host key, login, reachability, token file)
     */
    static SshTunnel start(SshClient client, SshTarget target, int localPort) {
        int port = localPort > 0 ? localPort : freeLoopbackPort();
        List<String> options = List.of("-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "ExitOnForwardFailure=yes",
                // a connection of our own: a shared master would keep the forward after we are gone
                "-o", "ControlMaster=no", "-o", "ControlPath=none",
                "-o", "RemoteCommand=none", "-o", "RequestTTY=no", "-o", "ForwardAgent=no", "-o", "ForwardX11=no",
                "-o", "ConnectTimeout=" + Math.max(1, client.connectTimeout().toSeconds()),
                "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3",
                "-L", "127.0.0.1:" + port + ":" + target.forwardDestination());
        String remote = "sh -c '" + SCRIPT + "' sh" + (target.tokenFile() == null ? "" : " " + shellQuote(target.tokenFile()));
        Process p;
        try {
            p = new ProcessBuilder(client.command(target, options, remote)).start();
        } catch (IOException e) {
            throw new SshAttachException("the system's ssh client could not be started (" + e.getMessage()
                    + "); install openssh-client");
        }
        StderrTail err = new StderrTail(p.getErrorStream());
        CompletableFuture<String> mark = readMark(p.getInputStream());
        long limit = client.connectTimeout().toMillis() * 2 + 10_000;
        String line;
        try {
            CompletableFuture.anyOf(mark, p.onExit()).get(limit, TimeUnit.MILLISECONDS);
            // ssh may have ended with the mark still in the pipe
            line = mark.isDone() ? mark.get() : mark.completeOnTimeout(null, 1, TimeUnit.SECONDS).get();
        } catch (TimeoutException e) {
            stop(p);
            throw new SshAttachException("ssh to " + target.login() + " did not log in within " + limit / 1000 + " s"
                    + err.lastLine().map(l -> " (" + l + ")").orElse(""));
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new SshAttachException("interrupted while attaching to " + target.login());
        } catch (ExecutionException e) {
            stop(p);
            throw new SshAttachException("ssh to " + target.login() + " failed: " + e.getCause());
        }
        if (line == null) {
            // ssh closed its output: it is ending; its message is on stderr
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) stop(p);
            } catch (InterruptedException e) {
                stop(p);
                Thread.currentThread().interrupt();
            }
            err.awaitEnd();
            throw new SshAttachException(SshFailure.of(target, p.isAlive() ? -1 : p.exitValue(), err.text()));
        }
        String what = line.substring(MARK.length());
        if (what.startsWith("token ") && !what.substring(6).isBlank()) {
            return new SshTunnel(p, port, what.substring(6).strip(), err);
        }
        stop(p);
        if (what.startsWith("missing ")) {
            throw new SshAttachException("no API token file " + what.substring(8) + " on " + target.login()
                    + ": is jpen running there with --api? (another path: ?token-file=PATH in the address)");
        }
        if (what.startsWith("unreadable ")) {
            throw new SshAttachException("the API token file " + what.substring(11) + " on " + target.login()
                    + " is not readable by " + (target.user() == null ? "the SSH user" : target.user())
                    + " (log in as the user jpen runs as, or give that user read access)");
        }
        throw new SshAttachException("the API token file on " + target.login() + " is empty");
    }

    /** Ends the session: stdin closes, the remote command ends, ssh exits; forced if it lingers. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The first line starting with the mark (a login script may print other lines first); null at end. */
    private static CompletableFuture<String> readMark(InputStream out) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                String line;
                int lines = 0;
                while ((line = r.readLine()) != null && !f.isDone()) {
                    if (line.startsWith(MARK)) f.complete(line.strip());
                    else if (++lines > 1000) break;
                }
                f.complete(null);
                r.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                f.complete(null);
            }
        }, "jpen-ssh-stdout");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** POSIX single quotes, which every common login shell (sh, bash, zsh, csh, fish) reads the same way. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new SshAttachException("no free local port for the tunnel: " + e.getMessage());
        }
    }

    /** The last few KiB of ssh's standard error, read continuously so ssh never blocks on it. */
    private static final class StderrTail {
        private static final int KEEP_LINES = 40;
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private final Thread reader;

        StderrTail(InputStream err) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.addLast(line.length() > 500 ? line.substring(0, 500) : line);
                            if (lines.size() > KEEP_LINES) lines.removeFirst();
                        }
                    }
                } catch (IOException ignored) {
                    // ssh ended
                }
            }, "jpen-ssh-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        java.util.Optional<String> lastLine() {
            synchronized (lines) {
                return java.util.Optional.ofNullable(lines.peekLast());
            }
        }

        void awaitEnd() {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
