package io.jpen.gui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchOptionsTest {

    @Test
    void everythingAfterLocalIsThePenCommandLine() {
        LaunchOptions o = LaunchOptions.parse("--dark", "--local", "-r", "8080", "127.0.0.1:81");
        assertThat(o.mode()).isEqualTo(LaunchOptions.Mode.LOCAL);
        assertThat(o.penArgs()).containsExactly("-r", "8080", "127.0.0.1:81");
        assertThat(o.dark()).isTrue();
    }

    @Test
    void attachTakesAUrlAndAToken() {
        LaunchOptions o = LaunchOptions.parse("--attach", "http://127.0.0.1:9090", "--token", "s3cret");
        assertThat(o.mode()).isEqualTo(LaunchOptions.Mode.ATTACH);
        assertThat(o.attachUrl()).isEqualTo("http://127.0.0.1:9090");
        assertThat(o.token()).isEqualTo("s3cret");
    }

    @Test
    void noArgumentsOpensTheStartPage() {
        assertThat(LaunchOptions.parse().mode()).isEqualTo(LaunchOptions.Mode.START_PAGE);
    }

    @Test
    void badCombinationsAreRefusedByName() {
        assertThatThrownBy(() -> LaunchOptions.parse("--demo", "--attach", "http://x")).hasMessageContaining("choose one");
        assertThatThrownBy(() -> LaunchOptions.parse("--attach")).hasMessageContaining("--attach needs a URL");
        assertThatThrownBy(() -> LaunchOptions.parse("--local")).hasMessageContaining("Pen command line");
        assertThatThrownBy(() -> LaunchOptions.parse("--frobnicate")).hasMessageContaining("'--frobnicate'");
        assertThatThrownBy(() -> LaunchOptions.parse("--demo", "--token", "t")).hasMessageContaining("--token only goes with --attach");
        assertThatThrownBy(() -> LaunchOptions.parse("--screenshot", "/tmp/x")).hasMessageContaining("--screenshot needs");
    }

    @Test
    void helpAndVersionWorkWithoutADisplay() {
        Output help = run(List.of("--help"), null);
        assertThat(help.code).isZero();
        assertThat(help.out).contains("--demo", "--local", "--attach", "./jpen");
        Output version = run(List.of("--version"), null);
        assertThat(version.code).isZero();
        assertThat(version.out).startsWith("jpen-console ");
    }

    @Test
    void withoutADisplayItSaysSoAndPointsToTheHeadlessJpen() {
        Output o = run(List.of("--attach", "http://127.0.0.1:9"), null);
        assertThat(o.code).isEqualTo(3);
        assertThat(o.err).contains("no graphical display", "./jpen");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void withoutADisplayTheDemoRunsHeadlessWithLiveFiguresAndSaysHowToAttach() {
        System.setProperty("jpen.demo.seconds", "7");
        try {
            Output o = run(List.of("--demo"), null);
            assertThat(o.code).as(o.out + o.err).isZero();
            assertThat(o.out).contains("jpen demo (no display", "./jpen-console --attach http://");
            // the figures line: live connections through the in-process balancer, servers up
            assertThat(o.out).containsPattern("\\d+ connections, [0-9.]+ new/s").contains(":up/");
        } finally {
            System.clearProperty("jpen.demo.seconds");
        }
    }

    @Test
    void aBadArgumentIsAnErrorBeforeAnyWindow() {
        Output o = run(List.of("--nope"), ":0");
        assertThat(o.code).isEqualTo(2);
        assertThat(o.err).contains("unknown option '--nope'");
    }

    private record Output(int code, String out, String err) {}

    private static Output run(List<String> args, String display) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Launcher.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), display, null);
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
