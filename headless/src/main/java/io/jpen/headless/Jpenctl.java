package io.jpen.headless;

import io.jpen.core.model.Endpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jpenctl}: a drop-in for Debian's penctl. Sends one command to a jpen (or Pen) control port and prints the
 * reply, which ends when the balancer closes the connection.
 */
@Command(name = "jpenctl", sortOptions = false, usageHelpAutoWidth = true,
        description = "Send one command to the control port of a running jpen (or Pen) and print the reply.",
        versionProvider = Jpen.VersionProvider.class,
        footer = {"", "Examples:", "  jpenctl 127.0.0.1:8888 servers", "  jpenctl 8888 server 1 weight 3",
                "  jpenctl /run/jpen/ctl status > status.html",
                "  jpenctl --api http://127.0.0.1:9090 --token-file ~/.config/jpen/api-token servers",
                "  jpenctl --check 127.0.0.1:8888     (keepalived's vrrp_script)", "",
                "Commands are Pen's (see penctl(1)): servers, server N ..., mode, status, recent, close N, write, ...",
                "A bare port means 127.0.0.1. Exit status: 0 reply received, 1 connection failed, 2 bad usage.",
                "With --check: 0 when the balancer listens and a server can take clients,",
                "1 otherwise (the reason on stderr), 2 bad usage."})
public final class Jpenctl implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "[host:port|/path] command",
            description = "The control port (jpen -C / pen -C; left out with --api), then the command and its arguments.")
    List<String> words = new ArrayList<>();
    @Option(names = "--api", paramLabel = "URL", description = "Send the command through jpen's JSON API (jpen --api) instead of a control port.")
    String api;
    @Option(names = "--token", paramLabel = "token", description = "API bearer token (else --token-file, else $JPEN_TOKEN).")
    String token;
    @Option(names = "--token-file", paramLabel = "file", description = "File holding the API token (first line).")
    String tokenFile;
    @Option(names = "--api-ca", paramLabel = "cert.pem", description = "Trust this certificate for an https API (self-signed).")
    String apiCa;
    @Option(names = "--timeout", paramLabel = "sec", description = "Give up after this many seconds (default 30; 2 with --check).")
    Integer timeoutOption;
    int timeoutSeconds = 30;
    @Option(names = "--check", description = "Health check for keepalived's vrrp_script: the only argument is the control port; "
            + "exit 0 when the balancer listens and at least one server can take clients, 1 otherwise with the reason on stderr.")
    boolean check;
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;
    @Option(names = "--version", versionHelp = true, description = "Show the version and exit.")
    boolean version;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // keepalived starts 'jpenctl --check TARGET' every second or two: that form skips the option parser,
        // whose classes take most of a start-up (0.3 s of CPU down to about 0.1 s).
        if (args.length == 2 && args[0].equals("--check") && !args[1].startsWith("-")) {
            System.exit(HealthCheck.run(args[1], HealthCheck.TIMEOUT_SECONDS, out, err));
        }
        System.exit(run(out, err, args));
    }

    /** Runs with the given streams; returns the exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Jpenctl());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("jpenctl: " + ex.getMessage());
            err.println("Usage: jpenctl host:port|/path command ...   (jpenctl --help for more)");
            return 2;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutOption != null) timeoutSeconds = timeoutOption;
        else if (check) timeoutSeconds = HealthCheck.TIMEOUT_SECONDS;
        if (timeoutSeconds < 1) {
            err.println("jpenctl: --timeout must be at least 1 second");
            return 2;
        }
        if (check) return check(out, err);
        if (api != null) return viaApi(out, err);
        if (words.size() < 2) {
            err.println("jpenctl: give the control port and a command, e.g. 'jpenctl 127.0.0.1:8888 servers'");
            return 2;
        }
        String target = words.get(0);
        Endpoint endpoint = ControlLine.endpoint(target, err);
        if (endpoint == null) return 2;
        try {
            byte[] reply = ControlLine.send(endpoint, String.join(" ", words.subList(1, words.size())), timeoutSeconds);
            out.print(new String(reply, StandardCharsets.UTF_8));
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("jpenctl: cannot talk to " + target + ": " + ControlLine.describe(e));
            return 1;
        }
    }

    /** {@code --check TARGET} (see {@link HealthCheck}), with whatever else picocli read. */
    private int check(PrintWriter out, PrintWriter err) {
        if (api != null || words.size() != 1) {
            err.println("jpenctl: --check takes the control port only, e.g. 'jpenctl --check 127.0.0.1:8888'");
            return 2;
        }
        return HealthCheck.run(words.get(0), timeoutSeconds, out, err);
    }

    /** The same command through the API: the reply is printed as the control port would print it. */
    private int viaApi(PrintWriter out, PrintWriter err) {
        java.net.URI url;
        String bearer;
        javax.net.ssl.SSLContext tls;
        try {
            url = java.net.URI.create(api);
            if (url.getScheme() == null || url.getHost() == null) throw new IllegalArgumentException("'" + api + "' is not an http(s) URL");
            bearer = io.jpen.core.api.client.ApiClient.resolveToken(token, tokenFile == null ? null : java.nio.file.Path.of(tokenFile));
            if (bearer == null) throw new IllegalArgumentException("--api needs a token: --token, --token-file or $JPEN_TOKEN");
            tls = apiCa == null ? null : io.jpen.core.api.ApiTls.trusting(java.nio.file.Path.of(apiCa));
        } catch (RuntimeException e) {
            err.println("jpenctl: " + e.getMessage());
            return 2;
        }
        String line = String.join(" ", words);
        try {
            io.jpen.core.model.Reply r = tls == null ? io.jpen.core.api.client.ApiClient.command(url, bearer, line)
                    : io.jpen.core.api.client.ApiClient.command(url, bearer, line, tls);
            out.print(r.text());
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("jpenctl: cannot talk to " + api + ": " + ControlLine.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

}
