import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/** Running the JDK's tools and other commands, the build log, and the few file operations the steps share. */
final class Tools {
    private Tools() {}

    /** Runs a JDK tool in this JVM; fails the build with its output when it fails. Returns what it printed. */
    static String jdk(String name, List<String> args) {
        ToolProvider tp = ToolProvider.findFirst(name)
                .orElseThrow(() -> new BuildFailure("this JDK has no " + name + " (a full JDK 17 or newer is needed)"));
        log(name + " " + String.join(" ", args));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintWriter pw = new PrintWriter(buf, true, StandardCharsets.UTF_8)) {
            rc = tp.run(pw, pw, args.toArray(String[]::new));
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        if (rc != 0) throw new BuildFailure(name + " failed (exit " + rc + "):\n" + printed);
        if (!printed.isBlank() && !name.equals("jdeps")) System.out.print(printed.indent(4));
        return printed;
    }

    /** What a command prints (both streams), whatever its exit status: for questions like ldd and dpkg -S. */
    static String output(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BuildFailure("cannot run " + command.get(0) + " (" + e.getMessage() + "); on Debian it is in "
                    + (command.get(0).equals("ldd") ? "libc-bin" : "dpkg"));
        }
        try (InputStream in = p.getInputStream()) {
            String printed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return printed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailure("interrupted: " + String.join(" ", command));
        }
    }

    static void log(String s) {
        System.out.println("[installer] " + s);
    }

    static boolean isWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    static boolean isMac() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
