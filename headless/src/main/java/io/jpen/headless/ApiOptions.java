package io.jpen.headless;

import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiTls;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.cli.Binding;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * jpen's options for the JSON API and {@code /metrics}. The token comes from {@code JPEN_TOKEN} if set, else from
 * the token file, which is generated (owner-only) on first start.
 */
public final class ApiOptions {
    // The values given, in the order of addTo, which names each option and says what it does.
    String api;
    Path tokenFile;
    Path tlsCert;
    Path tlsKey;
    boolean metricsPublic;

    /** These options, bound to this object's fields, added to jpen's parser (built without reflection, as PenOptions'). */
    void addTo(CommandSpec spec) {
        spec.addOption(Binding.option(fields, OptionSpec.builder("--api").type(String.class).paramLabel("[addr:]port")
                .description("Serve the JSON API, WebSocket stream and /metrics here (loopback unless an address is given).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--api-token-file").type(Path.class).paramLabel("file")
                .description("Bearer token file, created owner-only if missing (default $XDG_CONFIG_HOME/jpen/api-token, else $HOME/.config/jpen/api-token; the environment's JPEN_TOKEN wins).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--api-tls-cert").type(Path.class).paramLabel("file")
                .description("Serve the API over TLS with this PEM certificate chain.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--api-tls-key").type(Path.class).paramLabel("file")
                .description("The PEM (PKCS#8) key of --api-tls-cert.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--metrics-public").type(boolean.class).paramLabel("<metricsPublic>")
                .description("Let /metrics be read without the token.")));
    }

    /** This object's fields by option name, for {@link Binding}. */
    private final Binding.Fields fields = new Binding.Fields() {
        @Override
        public Object get(String option) {
            return switch (option) {
                case "--api" -> api;
                case "--api-token-file" -> tokenFile;
                case "--api-tls-cert" -> tlsCert;
                case "--api-tls-key" -> tlsKey;
                case "--metrics-public" -> metricsPublic;
                default -> throw new IllegalArgumentException(option);
            };
        }

        @Override
        public void set(String option, Object v) {
            switch (option) {
                case "--api" -> api = (String) v;
                case "--api-token-file" -> tokenFile = (Path) v;
                case "--api-tls-cert" -> tlsCert = (Path) v;
                case "--api-tls-key" -> tlsKey = (Path) v;
                case "--metrics-public" -> metricsPublic = (Boolean) v;
                default -> throw new IllegalArgumentException(option);
            }
        }
    };

    /** Whether --api was given. */
    public boolean enabled() {
        return api != null;
    }

    /**
     * Validates the options and builds the API configuration; throws IllegalArgumentException naming the bad
     * option. Tells {@code out} where the token is (never the token itself).
     */
    ApiConfig config(Map<String, String> env, PrintStream out) {
        if (!enabled()) {
            if (tokenFile != null || tlsCert != null || tlsKey != null || metricsPublic) {
                throw new IllegalArgumentException("--api-token-file, --api-tls-cert, --api-tls-key and --metrics-public need --api");
            }
            return null;
        }
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--api-tls-cert and --api-tls-key go together");
        // everything that can be wrong is checked before a token file is created
        java.net.InetSocketAddress bind = ApiConfig.parseBind(api);
        io.netty.handler.ssl.SslContext tls = tlsCert == null ? null : ApiTls.server(tlsCert, tlsKey);
        return ApiConfig.of(0, ApiToken.of(token(env, out))).withBind(bind).withTls(tls).withMetricsPublic(metricsPublic);
    }

    private String token(Map<String, String> env, PrintStream out) {
        String fromEnv = env.get(ApiToken.ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            out.println("jpen: API token from the environment (" + ApiToken.ENV + ")");
            return fromEnv.strip();
        }
        Path file = tokenFile != null ? tokenFile : ApiToken.defaultFile(env);
        try {
            String t = ApiToken.loadOrCreate(file);
            out.println("jpen: API token in " + file.toAbsolutePath());
            return t;
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Starts the API with a configuration from {@link #config}; the daemon calls this after the engine has
     * started and closes the result before the engine.
     */
    static ApiServer start(LocalConsole console, ApiConfig c, PrintStream out) {
        ApiServer server = new ApiServer(console, c).start();
        out.println("jpen: API on " + server.uri() + "/api/v1/ (metrics at " + server.uri() + "/metrics"
                + (c.metricsPublic() ? ", public" : "") + ")");
        return server;
    }
}
