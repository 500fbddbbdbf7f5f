package io.jpen.headless;

import io.jpen.core.cli.PenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What jpen will not do as root. Like Pen, it opens no control port as root: the port has no authentication, so any
 * local user who can connect could make jpen read and write files with root's rights. Unlike Pen, which then starts
 * without the port, jpen refuses to start (a missing control port would surprise the operator later), unless
 * {@code --allow-root-control} says the risk is taken. {@code -u USER} asks for privileges to be dropped, which a JVM
 * cannot do by itself: as root it is refused too, pointing to systemd's {@code User=} or setpriv.
 */
final class RootCheck {
    private RootCheck() {}

    /** Whether this process runs as root (uid 0). */
    static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Why jpen must not start with these options, or null when it may. */
    static String refusal(PenOptions o, boolean root) {
        if (!root) return null;
        if (o.user != null) {
            return "-u " + o.user + ": jpen cannot drop root's privileges itself; start it as " + o.user
                    + " instead (systemd: User=" + o.user + "; or setpriv --reuid=" + o.user
                    + " --regid=GROUP --init-groups jpen ...)";
        }
        if (o.control != null && !o.allowRootControl) {
            return "won't open the control port running as root: any local user who can connect could make jpen read"
                    + " and write files as root. Run jpen as an unprivileged user (the systemd unit runs it as jpen),"
                    + " or add --allow-root-control to open it anyway";
        }
        return null;
    }
}
