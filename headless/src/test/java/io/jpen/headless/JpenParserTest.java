package io.jpen.headless;

import io.jpen.core.cli.ParserModel;
import io.jpen.core.cli.PenCommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jpen's parser, built without reflection ({@link Jpen#commandLine}), is the command picocli makes from Jpen's
 * annotations: the same options, the same help, the same version line and the same message for each bad argument.
 */
class JpenParserTest {
    @Test
    void theParserHasTheOptionsAndTheHelpTheAnnotationsDescribe() {
        CommandLine built = Jpen.commandLine(new Jpen());
        CommandLine annotated = annotated(new Jpen());
        assertThat(ParserModel.describe(built.getCommandSpec())).isEqualTo(ParserModel.describe(annotated.getCommandSpec()));
        assertThat(built.getUsageMessage(CommandLine.Help.Ansi.OFF)).isEqualTo(annotated.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .startsWith("Usage: jpen [-afhHPrRsUWXZd] [--allow-root-control] [--help] [--metrics-public]")
                .contains("Example: jpen 8080 10.0.0.1:80 10.0.0.2:80:100");
        assertThat(output(built, "--help")).isEqualTo(output(annotated, "--help"));
        assertThat(output(built, "--version")).isEqualTo(output(annotated, "--version")).startsWith("0|jpen ");
    }

    @ParameterizedTest(name = "jpen {0}")
    @ValueSource(strings = {"--bogus 8080 127.0.0.1:80", "-x", "-x abc 8080 127.0.0.1:80", "--threads x 8080 a:1", "-rZq", "-b",
            "8080 127.0.0.1:80 --stop-grace", "--api", "-O", "-dk", "--api-tls-cert", "8080 a:1 -Xy"})
    void aBadArgumentGetsTheSameMessage(String args) {
        String[] a = args.split(" ");
        String built = output(Jpen.commandLine(new Jpen()), a);
        assertThat(built).isEqualTo(output(annotated(new Jpen()), a)).startsWith("2|").contains("jpen: ")
                .contains("Try 'jpen --help' for the options.");
    }

    /** The command from Jpen's annotations, with what {@link Jpen#commandLine} adds to it. */
    private static CommandLine annotated(Jpen jpen) {
        CommandLine reference = Jpen.commandLine(new Jpen());
        return PenCommandLine.configure(new CommandLine(jpen)).setParameterExceptionHandler(reference.getParameterExceptionHandler());
    }

    /** The exit code and what the command printed, for {@code args} that end before jpen would start. */
    private static String output(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return code + "|" + out + "|" + err;
    }
}
