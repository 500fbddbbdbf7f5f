package io.jpen.core.model;

/**
 * jpen's own settings for one server, beyond Pen's {@link ServerSpec}: its active check, where the check goes, and
 * its slow start. {@code write} saves them as {@code server N check …}, {@code server N check_port P} and
 * {@code server N slowstart S} lines.
 *
 * @param check            the active check, or null for none (Pen's behaviour)
 * @param checkPort        the port the check goes to; 0 = the server's own port
 * @param slowstartSeconds after coming up (from down, maint or a start), the server's share of new clients grows
 *                         linearly over this many seconds; 0 = at once
 */
public record ServerOptions(HealthCheck check, int checkPort, int slowstartSeconds) {
    public static final ServerOptions NONE = new ServerOptions(null, 0, 0);

    public ServerOptions {
        if (checkPort < 0 || checkPort > 65535) throw new IllegalArgumentException("check_port must be 0-65535, not " + checkPort);
        if (slowstartSeconds < 0 || slowstartSeconds > 86_400) {
            throw new IllegalArgumentException("slowstart must be 0-86400 seconds, not " + slowstartSeconds);
        }
    }

    public ServerOptions withCheck(HealthCheck c) { return new ServerOptions(c, checkPort, slowstartSeconds); }
    public ServerOptions withCheckPort(int p) { return new ServerOptions(check, p, slowstartSeconds); }
    public ServerOptions withSlowstartSeconds(int s) { return new ServerOptions(check, checkPort, s); }
}
