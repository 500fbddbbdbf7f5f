package io.jpen.core.cli;

import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Protocol;
import io.jpen.core.engine.Transport;
import io.jpen.core.tls.TlsConfig;
import io.jpen.core.model.Addresses;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Pen's command line, option for option (see pen(1)), plus jpen's own long options: picocli's options of
 * {@code jpen}, and of the console's {@code --local} ({@link PenCommandLine}). Turning it into engine options
 * validates everything first, so a bad argument stops jpen before anything listens.
 */
public final class PenOptions {
    /** Stands for "no listen address on the command line": the -F file must give one. */
    public static final Endpoint LISTEN_FROM_CONFIG = new Endpoint.Tcp("0.0.0.0", 0);

    // The values given, in the order of addTo, which names each option and says what it does.
    public Integer blacklist;
    public Integer clients;
    public String emergency;
    public String abuse;
    public Integer timeout;
    public Integer connMax;
    public Integer backlog;
    public Integer multiAccept;
    public Integer tracking;
    public boolean roundrobin;
    public boolean hash;
    public boolean weight;
    public boolean stubborn;
    public boolean udp;
    public boolean http;
    public String control;
    public boolean exitCommand;
    public String configFile;
    public List<String> commands = new ArrayList<>();
    public String webStats;
    public String logFile;
    public String pidFile;
    public boolean[] debug = new boolean[0];
    public boolean ascii;
    public boolean foreground;
    public String user;
    public String chroot;
    public String tlsCert;
    public String tlsKey;
    public String tlsCaFile;
    public String tlsCaDir;
    public boolean tlsRequire;
    public String tlsProtocol;
    public boolean tlsCompat;
    public boolean pollChoice;
    public List<String> fileDirs = new ArrayList<>();
    public boolean allowRootControl;
    public int stopGrace = 10;
    public String transport = "auto";
    public int threads = 0;
    public String listen;
    public List<String> servers = new ArrayList<>();

    /**
     * These options, bound to this object's fields, added to {@code spec}: the parser jpen and the console's
     * {@code --local} read Pen's command line with ({@link PenCommandLine}), and the one description of these
     * options. Built without reflection: picocli's model from annotations took 60-70 ms of jpen's start, a lambda
     * per field another 30 ms (docs/performance.md, "Start-up").
     */
    public void addTo(CommandSpec spec) {
        spec.addOption(Binding.option(fields, OptionSpec.builder("-b").type(Integer.class).paramLabel("sec")
                .description("Blacklist time for a failed server (default 30).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-c").type(Integer.class).paramLabel("N")
                .description("Client table size (default 2048).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-e").type(String.class).paramLabel("host:port")
                .description("Emergency server, used when every server is unavailable.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-B").type(String.class).paramLabel("host:port")
                .description("Abuse server for clients the client ACL denies.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-t").type(Integer.class).paramLabel("sec")
                .description("Connect timeout in seconds (default 3).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-x").type(Integer.class).paramLabel("N")
                .description("Max simultaneous connections (default " + Settings.DEFAULT_CONN_MAX + ").")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-q").type(Integer.class).paramLabel("N")
                .description("Listen backlog (default 1024).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-m").type(Integer.class).paramLabel("N")
                .description("Connections accepted per wake-up (default 16).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-T").type(Integer.class).paramLabel("sec")
                .description("Client tracking expiry (default 0 = never).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-r").type(boolean.class).paramLabel("<roundrobin>")
                .description("Round robin, no client tracking.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-h").type(boolean.class).paramLabel("<hash>")
                .description("Hash the client address for the initial choice.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-W").type(boolean.class).paramLabel("<weight>")
                .description("Weight-based server selection.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-s").type(boolean.class).paramLabel("<stubborn>")
                .description("Stubborn: no failover if the first choice is unavailable.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-U").type(boolean.class).paramLabel("<udp>")
                .description("UDP mode: each client address:port is a stream to one server.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-H").type(boolean.class).paramLabel("<http>")
                .description("HTTP: add X-Forwarded-For and X-Forwarded-Proto.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-C").type(String.class).paramLabel("[addr:]port|path")
                .description("Control port (loopback unless an address is given).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-X").type(boolean.class).paramLabel("<exitCommand>")
                .description("Enable the exit control command.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-F").type(String.class).paramLabel("file")
                .description("Config file of penctl commands, read after the command line and on HUP.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-O", "-o").type(List.class).auxiliaryTypes(String.class).paramLabel("cmd")
                .description("Run a penctl command at start-up (repeatable).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-w").type(String.class).paramLabel("file")
                .description("HTML status page file.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-l").type(String.class).paramLabel("file|host:port")
                .description("Access log file, or penlogd's host:port (a name without a leading / that contains ':').")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-p").type(String.class).paramLabel("file")
                .description("Write the process id to this file.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-d").arity("0").type(boolean[].class).paramLabel("<debug>")
                .description("Debug logging, repeat for more: -d each new connection, -dd also each end, -ddd also a dump of the bytes (changeable at run time: debug N).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-a").type(boolean.class).paramLabel("<ascii>")
                .description("Dump the bytes of each new connection in ASCII, as Pen's -a does with -ddd (ascii / no ascii at run time).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-f").type(boolean.class).paramLabel("<foreground>")
                .description("Stay in the foreground (jpen always does).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-u").type(String.class).paramLabel("user")
                .description("Pen's drop of privileges: jpen cannot, so as root it refuses -u; start jpen as that user (systemd's User=).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-j").type(String.class).paramLabel("dir")
                .description("Accepted for compatibility; use systemd's RootDirectory= instead.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-E").type(String.class).paramLabel("certfile")
                .description("TLS termination: certificate (PEM), may hold the key too.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-K").type(String.class).paramLabel("keyfile")
                .description("TLS key (unencrypted PEM: PKCS#8, PKCS#1 or SEC1; default: the -E file).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-G").type(String.class).paramLabel("cacertfile")
                .description("CA certificates (PEM) for verifying client certificates.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-A").type(String.class).paramLabel("cacertdir")
                .description("Directory of CA certificates (PEM files, e.g. OpenSSL hashed names).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-R").type(boolean.class).paramLabel("<tlsRequire>")
                .description("Require a valid client certificate.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-L").type(String.class).paramLabel("protocol")
                .description("TLS protocol: ssl23 (default: TLS 1.2 and 1.3), tls1, tls1.1, tls1.2, tls1.3.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-Z").type(boolean.class).paramLabel("<tlsCompat>")
                .description("Pen's SSL compatibility mode: ignored with a warning (the JDK has no OpenSSL bug workarounds).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("-P", "-Q").type(boolean.class).paramLabel("<pollChoice>")
                .description("Pen's poll/kqueue choice: ignored with a warning; jpen picks its transport itself (see --transport).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--file-dir").type(List.class).auxiliaryTypes(String.class).paramLabel("dir")
                .description("A directory in which commands from the control port or the API may name files (write, log, web_stats, include); repeatable. The -F file's directory is one already; without either, they may name none.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--allow-root-control").type(boolean.class).paramLabel("<allowRootControl>")
                .description("Open the control port (-C) even when running as root (refused otherwise, as Pen does): whoever can connect may then make jpen write files, within the --file-dir directories, as root.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--stop-grace").type(int.class).paramLabel("sec")
                .description("On TERM or INT, how long connections already open may go on after jpen stops accepting; then what is left is reset (default 10). A second TERM, or exit, stops at once.")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--transport").type(String.class).paramLabel("auto|epoll|io_uring|nio")
                .description("Event-loop transport (default auto = epoll where it loads, else nio; epoll splices bulk transfers; io_uring has a known fault, see Transport).")));
        spec.addOption(Binding.option(fields, OptionSpec.builder("--threads").type(int.class).paramLabel("N")
                .description("Event-loop threads (default: number of cores).")));
        spec.addPositional(Binding.positional(fields, "<listen>", PositionalParamSpec.builder().index("0").arity("0..1").type(String.class).paramLabel("[host:]port|path")
                .description("Where to listen (may instead come from a 'listen' line in the -F file).")));
        spec.addPositional(Binding.positional(fields, "<servers>", PositionalParamSpec.builder().index("1..*").arity("0..1").type(List.class).auxiliaryTypes(String.class).paramLabel("host[:port[:soft[:hard[:weight[:prio]]]]]")
                .description("The servers.")));
    }

    /** This object's fields by option name, for {@link Binding}. */
    private final Binding.Fields fields = new Binding.Fields() {
        @Override
        public Object get(String option) {
            return switch (option) {
                case "-b" -> blacklist;
                case "-c" -> clients;
                case "-e" -> emergency;
                case "-B" -> abuse;
                case "-t" -> timeout;
                case "-x" -> connMax;
                case "-q" -> backlog;
                case "-m" -> multiAccept;
                case "-T" -> tracking;
                case "-r" -> roundrobin;
                case "-h" -> hash;
                case "-W" -> weight;
                case "-s" -> stubborn;
                case "-U" -> udp;
                case "-H" -> http;
                case "-C" -> control;
                case "-X" -> exitCommand;
                case "-F" -> configFile;
                case "-O" -> commands;
                case "-w" -> webStats;
                case "-l" -> logFile;
                case "-p" -> pidFile;
                case "-d" -> debug;
                case "-a" -> ascii;
                case "-f" -> foreground;
                case "-u" -> user;
                case "-j" -> chroot;
                case "-E" -> tlsCert;
                case "-K" -> tlsKey;
                case "-G" -> tlsCaFile;
                case "-A" -> tlsCaDir;
                case "-R" -> tlsRequire;
                case "-L" -> tlsProtocol;
                case "-Z" -> tlsCompat;
                case "-P" -> pollChoice;
                case "--file-dir" -> fileDirs;
                case "--allow-root-control" -> allowRootControl;
                case "--stop-grace" -> stopGrace;
                case "--transport" -> transport;
                case "--threads" -> threads;
                case "<listen>" -> listen;
                case "<servers>" -> servers;
                default -> throw new IllegalArgumentException(option);
            };
        }

        @Override
        @SuppressWarnings("unchecked")
        public void set(String option, Object v) {
            switch (option) {
                case "-b" -> blacklist = (Integer) v;
                case "-c" -> clients = (Integer) v;
                case "-e" -> emergency = (String) v;
                case "-B" -> abuse = (String) v;
                case "-t" -> timeout = (Integer) v;
                case "-x" -> connMax = (Integer) v;
                case "-q" -> backlog = (Integer) v;
                case "-m" -> multiAccept = (Integer) v;
                case "-T" -> tracking = (Integer) v;
                case "-r" -> roundrobin = (Boolean) v;
                case "-h" -> hash = (Boolean) v;
                case "-W" -> weight = (Boolean) v;
                case "-s" -> stubborn = (Boolean) v;
                case "-U" -> udp = (Boolean) v;
                case "-H" -> http = (Boolean) v;
                case "-C" -> control = (String) v;
                case "-X" -> exitCommand = (Boolean) v;
                case "-F" -> configFile = (String) v;
                case "-O" -> commands = (List<String>) v;
                case "-w" -> webStats = (String) v;
                case "-l" -> logFile = (String) v;
                case "-p" -> pidFile = (String) v;
                case "-d" -> debug = (boolean[]) v;
                case "-a" -> ascii = (Boolean) v;
                case "-f" -> foreground = (Boolean) v;
                case "-u" -> user = (String) v;
                case "-j" -> chroot = (String) v;
                case "-E" -> tlsCert = (String) v;
                case "-K" -> tlsKey = (String) v;
                case "-G" -> tlsCaFile = (String) v;
                case "-A" -> tlsCaDir = (String) v;
                case "-R" -> tlsRequire = (Boolean) v;
                case "-L" -> tlsProtocol = (String) v;
                case "-Z" -> tlsCompat = (Boolean) v;
                case "-P" -> pollChoice = (Boolean) v;
                case "--file-dir" -> fileDirs = (List<String>) v;
                case "--allow-root-control" -> allowRootControl = (Boolean) v;
                case "--stop-grace" -> stopGrace = (Integer) v;
                case "--transport" -> transport = (String) v;
                case "--threads" -> threads = (Integer) v;
                case "<listen>" -> listen = (String) v;
                case "<servers>" -> servers = (List<String>) v;
                default -> throw new IllegalArgumentException(option);
            }
        }
    };

    /** --stop-grace, checked. */
    public int stopGraceSeconds() {
        return nonNegative("--stop-grace", stopGrace);
    }

    /** Where commands from the control port and the API may name files: the -F file's directory and --file-dir. */
    public List<Path> fileDirs() {
        List<Path> dirs = new ArrayList<>();
        if (configFile != null) dirs.add(Path.of(configFile).toAbsolutePath().getParent());
        for (String d : fileDirs) dirs.add(Path.of(d));
        return dirs;
    }

    public int debugLevel() {
        return debug.length;
    }

    /** Validates every argument and builds the engine's options; throws with a message naming the bad one. */
    public EngineOptions toEngineOptions(InstantSource clock) {
        if (listen == null && configFile == null) {
            throw new IllegalArgumentException("no listen address (usage: jpen [options] [host:]port server ..., or -F file)");
        }
        Endpoint listenAt = listen == null ? LISTEN_FROM_CONFIG : Addresses.endpoint(listen);
        int defaultPort = listenAt instanceof Endpoint.Tcp t ? t.port() : 0;
        if (servers.isEmpty() && configFile == null) {
            throw new IllegalArgumentException("no servers given (usage: jpen [options] [host:]port server ..., or -F file)");
        }
        List<ServerSpec> specs = new ArrayList<>();
        for (String s : servers) specs.add(Addresses.server(s, defaultPort));
        Settings s = Settings.defaults();
        if (blacklist != null) s = s.withBlacklistSeconds(nonNegative("-b", blacklist));
        if (clients != null) s = s.withClientsMax(atLeastOne("-c", clients));
        if (emergency != null) s = s.withEmergency(Addresses.hostPort(emergency));
        if (abuse != null) s = s.withAbuse(Addresses.hostPort(abuse));
        if (http) s = s.withHttp(true);
        if (timeout != null) s = s.withTimeoutSeconds(atLeastOne("-t", timeout));
        if (connMax != null) s = s.withConnMax(atLeastOne("-x", connMax));
        if (tracking != null) s = s.withTrackingSeconds(nonNegative("-T", tracking));
        s = s.withRoundrobin(roundrobin).withHash(hash).withWeight(weight).withStubborn(stubborn)
                .withDebug(debugLevel()).withAscii(ascii);
        EngineOptions o = EngineOptions.of(listenAt, specs, s).withTransport(Transport.choose(transport))
                .withThreads(nonNegative("--threads", threads)).withClock(clock);
        if (backlog != null) o = o.withBacklog(atLeastOne("-q", backlog));
        if (multiAccept != null) o = o.withMultiAccept(atLeastOne("-m", multiAccept));
        if (udp) o = o.withProtocol(Protocol.UDP);
        return o.withTls(tls());
    }

    /** -E -K -G -A -R -L -Z as a TLS configuration; the engine reads and checks the files when it is built. */
    public TlsConfig tls() {
        if (tlsCert == null) {
            List<String> orphans = new ArrayList<>();
            if (tlsKey != null) orphans.add("-K");
            if (tlsCaFile != null) orphans.add("-G");
            if (tlsCaDir != null) orphans.add("-A");
            if (tlsRequire) orphans.add("-R");
            if (tlsProtocol != null) orphans.add("-L");
            if (tlsCompat) orphans.add("-Z");
            if (!orphans.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", orphans) + " given without -E (the TLS certificate)");
            }
            return TlsConfig.NONE;
        }
        TlsConfig t = TlsConfig.NONE.withCertificate(Path.of(tlsCert)).withRequireClientCert(tlsRequire).withCompat(tlsCompat);
        if (tlsKey != null) t = t.withKey(Path.of(tlsKey));
        if (tlsCaFile != null) t = t.withCaFile(Path.of(tlsCaFile));
        if (tlsCaDir != null) t = t.withCaDir(Path.of(tlsCaDir));
        if (tlsProtocol != null) t = t.withProtocol(tlsProtocol);
        return t;
    }

    private static int nonNegative(String option, int v) {
        if (v < 0) throw new IllegalArgumentException(option + " must not be negative, not " + v);
        return v;
    }

    private static int atLeastOne(String option, int v) {
        if (v < 1) throw new IllegalArgumentException(option + " must be at least 1, not " + v);
        return v;
    }
}
