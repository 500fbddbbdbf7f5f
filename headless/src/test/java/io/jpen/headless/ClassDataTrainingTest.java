package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training run the launchers make their class-data archive from goes through jpen's start and its relay: run as
 * they run it, with the JVM listing what it loads, it ends by itself and the list holds the relay's classes.
 */
@Timeout(120)
class ClassDataTrainingTest {
    @Test
    void startsJpenRelaysConnectionsAndEndsListingTheClassesItLoaded() throws Exception {
        Path list = Files.createTempFile("jpen", ".classlist");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:DumpLoadedClassList=" + list, "-cp", System.getProperty("java.class.path"),
                    "io.jpen.headless.ClassDataTraining"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("listening on", "class-data training done");
            List<String> classes = Files.readAllLines(list);
            assertThat(classes).as("jpen's parser").contains("io/jpen/core/cli/PenOptions", "io/jpen/core/cli/Binding",
                    "picocli/CommandLine$Model$OptionSpec", "picocli/CommandLine$Model$PositionalParamSpec");
            // Pen's own options: the clients are plain pairs, relayed without channels (PlainPair).
            assertThat(classes).contains("io/jpen/headless/Jpen", "picocli/CommandLine", "io/jpen/core/engine/PlainPair",
                    "io/jpen/core/engine/PlainPair$Side", "io/jpen/core/engine/Connection");
        } finally {
            Files.deleteIfExists(list);
        }
    }
}
