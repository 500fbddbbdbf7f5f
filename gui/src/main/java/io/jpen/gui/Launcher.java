package io.jpen.gui;

import java.io.PrintStream;

/**
 * The main class. It must not extend or even mention JavaFX classes: a class-path jar whose main class is an
 * {@code Application} fails with "JavaFX runtime components are missing", and {@code --help}, {@code --version}
 * and the no-display message must work where JavaFX cannot start.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv("DISPLAY"), System.getenv("WAYLAND_DISPLAY")));
    }

    /** Everything before JavaFX; returns the exit code, or starts the app (and returns 0 when it closes). */
    static int run(String[] args, PrintStream out, PrintStream err, String display, String wayland) {
        return run(args, out, err, display, wayland, io.jpen.gui.app.Workspaces.standard(System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, String display, String wayland,
                   io.jpen.gui.app.Workspaces workspaces) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jpen-console: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(LaunchOptions.USAGE);
            return 0;
        }
        if (options.version()) {
            out.println("jpen-console " + version());
            return 0;
        }
        try {
            // a workspace is read (and saved) before any window, so a bad one is said here, display or not
            options = options.withWorkspaces(workspaces);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("jpen-console: " + e.getMessage());
            return 2;
        }
        if (options.saveWorkspace() != null) {
            out.println("jpen-console: workspace '" + options.saveWorkspace() + "' saved (" + options.balancers().size()
                    + " balancer" + (options.balancers().size() == 1 ? "" : "s") + ") in " + workspaces.file(options.saveWorkspace()));
        }
        boolean noDisplay = blank(display) && blank(wayland) && !Boolean.getBoolean("jpen.console.noDisplayCheck");
        if (noDisplay && options.mode() == LaunchOptions.Mode.DEMO && options.screenshot() == null) {
            // No window to show it in: run the same demo headless, with the API on for a console elsewhere.
            return HeadlessDemo.run(out, Long.getLong("jpen.demo.seconds", 0));
        }
        if (noDisplay) {
            err.println("""
                    jpen-console: no graphical display (DISPLAY is not set), so the desktop console cannot open.
                      For a balancer without a window, use ./jpen (the headless jpen and jpenctl).
                      To run the console on a machine without a screen, use xvfb-run ./jpen-console ...,
                      or run jpen there and attach from your desktop: ./jpen-console --attach http://HOST:PORT""");
            return 3;
        }
        FxMain.launch(options);
        return 0;
    }

    static String version() {
        return io.jpen.core.Version.get();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
