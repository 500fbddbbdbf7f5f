package io.jpen.core.api.client.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Short-lived helper programs (ssh -G, ssh-keyscan, ssh-keygen): run with a time limit, output captured. */
final class Processes {
    private Processes() {}

    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command}, feeding it {@code input} (or nothing), and waits at most {@code limit}. */
    static Result run(List<String> command, String input, Duration limit) {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new SshAttachException(command.get(0) + " could not be started (" + e.getMessage()
                    + "); the console uses the system's OpenSSH client: install openssh-client");
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // it did not want its input; its exit status says the rest
        }
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SshAttachException(command.get(0) + " did not finish within " + limit.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SshAttachException("interrupted while running " + command.get(0));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new SshAttachException("cannot read the output of " + command.get(0) + ": " + e.getMessage());
        }
    }

    /** Reads a stream to its end on a thread of its own (at most 1 MiB kept). */
    static CompletableFuture<String> drain(InputStream s) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (s) {
                byte[] all = s.readNBytes(1 << 20);
                s.transferTo(OutputStream.nullOutputStream());
                f.complete(new String(all, StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "jpen-ssh-output");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
