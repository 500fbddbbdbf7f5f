package io.jpen.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words where a word may be a double-quoted text (what {@code server N check send TEXT
 * expect TEXT} needs for spaces and line ends). Outside quotes a word is taken as it is, as every other command
 * takes it; inside quotes {@code \r}, {@code \n}, {@code \t}, {@code \\}, {@code \"} and {@code \xHH} (an ASCII
 * character by its two hex digits, 00-7f) stand for those characters. {@link HealthCheck#quote} writes the same
 * form, so {@code write} saves a text that reads back unchanged.
 */
public final class CommandWords {
    private CommandWords() {}

    /** The words of a line; throws with what is wrong for a quoted text that is not closed or has a bad escape. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i++);
                    if (d == '"') {
                        closed = true;
                        break;
                    }
                    if (d != '\\') {
                        w.append(d);
                        continue;
                    }
                    if (i == n) break;
                    i = escape(line, i, w);
                }
                if (!closed) throw new IllegalArgumentException("a quoted text has no closing \"");
                if (i < n && !Character.isWhitespace(line.charAt(i))) {
                    throw new IllegalArgumentException("a quoted text must be followed by a space or the end of the line");
                }
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) w.append(line.charAt(i++));
            }
            words.add(w.toString());
        }
        return words;
    }

    /**
     * The inside of a quoted text with its escapes read (what the console's check editor takes as typed); a
     * {@code "} stands for itself here.
     */
    public static String unescape(String text) {
        StringBuilder w = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c != '\\') w.append(c);
            else if (i == text.length()) throw new IllegalArgumentException("a text cannot end with a lone \\ (write \\\\)");
            else i = escape(text, i, w);
        }
        return w.toString();
    }

    /** Reads the escape after a backslash at {@code i} into {@code w}; returns the index after it. */
    private static int escape(String line, int i, StringBuilder w) {
        int n = line.length();
        char e = line.charAt(i++);
        switch (e) {
            case 'r' -> w.append('\r');
            case 'n' -> w.append('\n');
            case 't' -> w.append('\t');
            case '\\' -> w.append('\\');
            case '"' -> w.append('"');
            case 'x' -> {
                if (i + 2 > n || !isHex(line.charAt(i)) || !isHex(line.charAt(i + 1))) {
                    throw new IllegalArgumentException("\\x in a quoted text needs two hex digits, e.g. \\x00");
                }
                int v = Integer.parseInt(line.substring(i, i + 2), 16);
                if (v > 0x7f) throw new IllegalArgumentException("\\x" + line.substring(i, i + 2)
                        + " is not ASCII: write other characters as they are (texts are sent in UTF-8)");
                w.append((char) v);
                i += 2;
            }
            default -> throw new IllegalArgumentException("unknown escape \\" + e
                    + " in a quoted text (known: \\r \\n \\t \\\\ \\\" \\xHH)");
        }
        return i;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
