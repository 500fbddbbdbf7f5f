package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jpen's parser ({@link Jpen#commandLine}) prints what jpen printed when picocli built it from annotations: the help
 * and the message of each bad command line, byte for byte, are golden copies of that jpen's output (test resources
 * cli/jpen-help.txt and cli/bad-command-lines.txt, taken from main at e9db77f with its output not on a terminal).
 */
class JpenParserTest {
    @Test
    void theHelpIsTheOneJpenPrinted() {
        CommandLine cl = Jpen.commandLine(new Jpen());
        assertThat(cl.getCommandSpec().usageMessage().autoWidth()).as("the help fits a terminal's width").isTrue();
        // off a terminal picocli falls back to 80 columns, as it did when the golden copy was taken
        cl.getCommandSpec().usageMessage().autoWidth(false).width(80);
        assertThat(output(cl, "--help")).isEqualTo("0|" + resource("cli/jpen-help.txt") + "|");
    }

    @Test
    void theVersionLineNamesJpenAndItsJava() {
        assertThat(output(Jpen.commandLine(new Jpen()), "--version"))
                .isEqualTo("0|jpen " + io.jpen.core.Version.get() + " (Java " + System.getProperty("java.version") + ")\n|");
    }

    static Stream<Arguments> badCommandLines() {
        List<Arguments> cases = new ArrayList<>();
        String args = null;
        StringBuilder err = new StringBuilder();
        for (String line : resource("cli/bad-command-lines.txt").split("\n")) {
            if (line.startsWith("#")) continue;
            if (line.startsWith("$ jpen ")) {
                if (args != null) cases.add(Arguments.of(args, err.toString()));
                args = line.substring("$ jpen ".length());
                err.setLength(0);
            } else {
                err.append(line).append('\n');
            }
        }
        cases.add(Arguments.of(args, err.toString()));
        return cases.stream();
    }

    @ParameterizedTest(name = "jpen {0}")
    @MethodSource("badCommandLines")
    void aBadCommandLineGetsTheMessageJpenPrinted(String args, String message) {
        assertThat(message).contains("Try 'jpen --help' for the options.");
        assertThat(output(Jpen.commandLine(new Jpen()), args.split(" "))).isEqualTo("2||" + message);
    }

    @Test
    void allTwelveBadCommandLinesAreChecked() {
        assertThat(badCommandLines()).hasSize(12);
    }

    private static String resource(String name) {
        try (InputStream in = JpenParserTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exit code and what the command printed on standard output and error, for {@code args} that end before jpen would start. */
    private static String output(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return code + "|" + out + "|" + err;
    }
}
