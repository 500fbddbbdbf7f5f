import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Debian packages whose shared libraries the app image's native code loads, found as jpackage's own .deb found
 * them: ldd on every ELF file in the image, then dpkg -S on each library outside it.
 */
final class DebDepends {
    /** {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)} */
    private static final Pattern RESOLVED = Pattern.compile("=>\\s+(/\\S+)\\s+\\(0x");
    /** {@code zlib1g:amd64: /lib/x86_64-linux-gnu/libz.so.1}, or several packages before the colon. */
    private static final Pattern OWNER = Pattern.compile("^(.+?): (/.*)$");

    private DebDepends() {}

    static Set<String> of(Path image) throws IOException {
        Set<Path> libraries = new TreeSet<>();
        try (Stream<Path> all = Files.walk(image)) {
            for (Path f : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (!isElf(f)) continue;
                Matcher m = RESOLVED.matcher(Tools.output(List.of("ldd", f.toString())));
                while (m.find()) {
                    Path lib = Path.of(m.group(1));
                    if (!lib.startsWith(image)) libraries.add(lib);
                }
            }
        }
        Set<String> packages = new TreeSet<>();
        for (Path lib : libraries) packages.addAll(owners(lib));
        return packages;
    }

    /**
     * The packages owning {@code lib}. With merged /usr, dpkg may know a library under the other of /lib and
     * /usr/lib, or under its real name: each is tried. A library no package owns adds nothing.
     */
    private static Set<String> owners(Path lib) throws IOException {
        List<String> candidates = new ArrayList<>(List.of(lib.toString()));
        String s = lib.toString();
        candidates.add(s.startsWith("/usr/") ? s.substring(4) : "/usr" + s);
        if (Files.exists(lib)) candidates.add(lib.toRealPath().toString());
        for (String c : candidates) {
            Set<String> found = new TreeSet<>();
            for (String line : Tools.output(List.of("dpkg", "-S", c)).lines().toList()) {
                Matcher m = OWNER.matcher(line);
                if (!m.matches() || line.startsWith("dpkg-query:") || line.startsWith("diversion ")) continue;
                for (String p : m.group(1).split(",")) found.add(p.strip().replaceFirst(":.*$", ""));
            }
            if (!found.isEmpty()) return found;
        }
        return Set.of();
    }

    private static boolean isElf(Path f) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(f)) {
            return in.readNBytes(magic, 0, 4) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }
}
