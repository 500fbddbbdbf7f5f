package io.jpen.core.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser jpen and --local build without reflection ({@link PenOptions#addTo}) is the one picocli makes from
 * PenOptions' annotations: the same options with the same names, arity, types, labels and descriptions, the same help,
 * and the same values from the same arguments.
 */
class PenOptionsSpecTest {
    @Test
    void theParserBuiltWithoutReflectionIsTheOneTheAnnotationsDescribe() {
        CommandSpec built = PenCommandLine.commandLine(new PenOptions()).getCommandSpec();
        CommandSpec annotated = new CommandLine(new PenOptions()).getCommandSpec();
        assertThat(ParserModel.describe(built)).isEqualTo(ParserModel.describe(annotated));
        assertThat(new CommandLine(built).getUsageMessage(CommandLine.Help.Ansi.OFF))
                .isEqualTo(new CommandLine(annotated).getUsageMessage(CommandLine.Help.Ansi.OFF));
    }

    @Test
    void bothReadTheSameValues() {
        String[] args = {"-rW", "-dd", "-x", "7", "-O", "a", "-o", "b", "--file-dir", "/x", "--stop-grace", "3", "-E", "c.pem",
                "8080", "h:1", "h:2"};
        PenOptions built = new PenOptions();
        PenCommandLine.commandLine(built).parseArgs(args);
        PenOptions annotated = new PenOptions();
        PenCommandLine.configure(new CommandLine(annotated)).parseArgs(args);
        assertThat(built).usingRecursiveComparison().ignoringFields("fields").isEqualTo(annotated);
        assertThat(built.debugLevel()).isEqualTo(2);
        assertThat(built.commands).containsExactly("a", "b");
        assertThat(new PenOptions()).usingRecursiveComparison().ignoringFields("fields").isEqualTo(PenCommandLine.parse(List.of()));
    }
}
