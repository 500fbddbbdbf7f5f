package io.jpen.core.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The API's bearer token. Kept only as a SHA-256 digest so every comparison is between two 32-byte values:
 * {@link MessageDigest#isEqual} then takes the same time whatever the presented token looks like.
 */
public final class ApiToken {
    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);
    /** Environment variable that gives the token directly (daemon and jpenctl). */
    public static final String ENV = "JPEN_TOKEN";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] digest;

    private ApiToken(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("the API token must not be empty");
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the API token must be printable ASCII without spaces");
        }
        this.digest = sha256(token);
    }

    public static ApiToken of(String token) {
        return new ApiToken(token);
    }

    /** A fresh random token: 32 bytes from SecureRandom, base64url without padding (43 characters). */
    public static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Where the token file is when none is named: {@code $XDG_CONFIG_HOME/jpen/api-token}, else
     * {@code $HOME/.config/jpen/api-token}, as Unix commands find their configuration. Java's {@code user.home}
     * comes from the password database and ignores a {@code HOME} set for the process (sudo, a service, a test);
     * it is used only when {@code HOME} is unset. A relative {@code XDG_CONFIG_HOME} is ignored, as the XDG
     * specification says.
     */
    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.get("HOME");
            base = Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        }
        return base.resolve("jpen").resolve("api-token");
    }

    /**
     * Reads the token from {@code file}, or, when the file does not exist, generates one and writes it there,
     * readable by its owner only (rw-------). Parent directories are created owner-only as well.
     */
    public static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return read(file);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                if (posix(parent.getRoot())) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(parent);
                }
            }
            String token = generate();
            try {
                if (posix(parent)) {
                    // created with the permissions in one step, so the token is never readable by others
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createFile(file);
                    ownerOnlyFallback(file);
                }
            } catch (FileAlreadyExistsException raced) {
                return read(file); // another process made it first: use theirs
            }
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
            log.info("generated a new API token in {}", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a token file (the first line, stripped); warns when others may read it. */
    public static String read(Path file) {
        try {
            if (posix(file)) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    log.warn("API token file {} is readable by others ({}); chmod 600 it",
                            file, PosixFilePermissions.toString(p));
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            int nl = text.indexOf('\n');
            String token = nl < 0 ? text : text.substring(0, nl).strip();
            if (token.isEmpty()) throw new IllegalArgumentException("API token file " + file + " is empty");
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void ownerOnlyFallback(Path file) {
        java.io.File f = file.toFile();
        boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!ok) log.warn("could not restrict the permissions of {}", file);
    }

    /** Whether {@code presented} is the token, in time independent of where they differ. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Checks an {@code Authorization} header value of the form {@code Bearer TOKEN}. */
    public boolean matchesHeader(String authorization) {
        if (authorization == null) return false;
        String a = authorization.strip();
        if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return matches(a.substring(7).strip());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}
