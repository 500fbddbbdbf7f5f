package io.jpen.core.reliability.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What every target checks of a refusal or a reply: it names what was wrong in words, not in Java's. */
final class InWords {
    /** A Java class, package or exception, or the JDK's and Netty's own messages that betray one. */
    private static final List<String> JAVA_WORDS =
            List.of("Exception", "java.", "io.netty", "io.jpen", "For input string", "No enum constant");

    private InWords() {}

    /** Fails the case when {@code text} has a Java word that the case's own {@code input} did not bring. */
    static void check(String text, String input) {
        for (String word : JAVA_WORDS) {
            if (text.contains(word) && !input.contains(word)) {
                throw new AssertionError("answered in Java's words (" + word + "): " + text);
            }
        }
    }

    static void check(String text, byte[] input) {
        check(text, new String(input, StandardCharsets.ISO_8859_1));
    }
}
