package io.jpen.headless.ssh;

import io.jpen.core.api.ApiToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code jpen} main in a child JVM, with its API on; its output kept for messages. */
final class JpenChild implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    final URI api;

    JpenChild(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(ApiToken.ENV);
        pb.environment().putAll(env);
        process = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern apiLine = Pattern.compile("jpen: API on (\\S+)/api/v1/");
        URI found = null;
        String line;
        while (found == null && (line = r.readLine()) != null) {
            synchronized (output) {
                output.add(line);
            }
            Matcher m = apiLine.matcher(line);
            if (m.find()) found = URI.create(m.group(1));
        }
        if (found == null) {
            close();
            throw new IllegalStateException("jpen did not start its API:\n" + output());
        }
        api = found;
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(l);
                    }
                }
            } catch (IOException ignored) {
                // the child ended
            }
        }, "jpen-child-output");
        drain.setDaemon(true);
        drain.start();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
