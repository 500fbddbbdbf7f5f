import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The packager's {@code --key=value} arguments, as the installer module's pom passes them. */
record Options(Map<String, String> values) {
    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) throw new BuildFailure("expected --key=value, got " + a);
            values.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return new Options(Map.copyOf(values));
    }

    String need(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) throw new BuildFailure("missing option --" + key + "=...");
        return v;
    }

    Path path(String key) {
        return Path.of(need(key)).toAbsolutePath();
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }
}
