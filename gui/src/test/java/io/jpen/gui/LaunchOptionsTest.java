package io.jpen.gui;

import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void attachRepeatsAndEachTokenOptionBelongsToTheAttachBeforeIt() {
        LaunchOptions o = LaunchOptions.parse("--attach", "http://127.0.0.1:9090", "--token-file", "/run/a.token",
                "--attach", "ssh://ops@lb2:2222?api=9091", "--demo", "--attach", "https://10.0.0.7:9443", "--token", "t3");
        assertThat(o.mode()).isEqualTo(LaunchOptions.Mode.FLEET);
        assertThat(o.balancers()).extracting(BalancerSpec::label)
                .containsExactly("http://127.0.0.1:9090", "ssh://ops@lb2:2222?api=9091", "demo", "https://10.0.0.7:9443");
        assertThat(o.balancers().get(0).tokenFile()).isEqualTo(java.nio.file.Path.of("/run/a.token"));
        assertThat(o.balancers().get(1).ssh()).isTrue();
        assertThat(o.balancers().get(3).token()).isEqualTo("t3");
    }

    @Test
    void aTokenFileBeforeAnyAttachServesEveryHttpAttachWithoutItsOwn() {
        LaunchOptions o = LaunchOptions.parse("--token-file", "/run/all.token", "--attach", "http://127.0.0.1:9090",
                "--attach", "http://127.0.0.1:9091", "--token", "own", "--attach", "ssh://lb3");
        assertThat(o.balancers()).extracting(BalancerSpec::tokenFile)
                .containsExactly(java.nio.file.Path.of("/run/all.token"), null, null);
        assertThat(o.balancers().get(1).token()).isEqualTo("own");
    }

    @Test
    void badCombinationsAreRefusedByName() {
        assertThatThrownBy(() -> LaunchOptions.parse("--demo", "--demo")).hasMessageContaining("--demo is given twice");
        assertThatThrownBy(() -> LaunchOptions.parse("--attach")).hasMessageContaining("--attach needs an address");
        assertThatThrownBy(() -> LaunchOptions.parse("--attach", "http://x")).hasMessageContaining("give host and port");
        assertThatThrownBy(() -> LaunchOptions.parse("--attach", "ssh://lb1", "--token", "t"))
                .hasMessageContaining("over SSH the token is read on the remote host");
        assertThatThrownBy(() -> LaunchOptions.parse("--attach", "ssh://lb1/9090")).hasMessageContaining("?api=PORT");
        assertThatThrownBy(() -> LaunchOptions.parse("--save-workspace", "w")).hasMessageContaining("needs balancers to save");
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

    @TempDir
    java.nio.file.Path workspaces;

    @Test
    void aWorkspaceIsSavedWithoutTokensAndReopenedByName() throws Exception {
        Output saved = run(List.of("--attach", "http://127.0.0.1:9090", "--token", "s3cret-token", "--attach",
                "http://127.0.0.1:9091", "--token-file", "/run/b.token", "--attach", "ssh://ops@lb1?api=9091",
                "--save-workspace", "prod", "--local", "-r", "8080", "127.0.0.1:81"), null);
        assertThat(saved.err).contains("no graphical display");
        assertThat(saved.out).contains("workspace 'prod' saved (4 balancers) in " + workspaces.resolve("prod.workspace"));
        String text = java.nio.file.Files.readString(workspaces.resolve("prod.workspace"));
        assertThat(text).doesNotContain("s3cret-token")
                .contains("attach http://127.0.0.1:9090\n", "attach http://127.0.0.1:9091 token-file /run/b.token\n",
                        "attach ssh://ops@lb1?api=9091\n", "local -r 8080 127.0.0.1:81\n");

        LaunchOptions reopened = LaunchOptions.parse("--workspace", "prod", "--demo").withWorkspaces(new Workspaces(workspaces));
        assertThat(reopened.mode()).isEqualTo(LaunchOptions.Mode.FLEET);
        assertThat(reopened.balancers()).extracting(BalancerSpec::label).containsExactly("http://127.0.0.1:9090",
                "http://127.0.0.1:9091", "ssh://ops@lb1?api=9091", "local -r 8080 127.0.0.1:81", "demo");
        assertThat(reopened.balancers().get(2).address()).isEqualTo("ssh://ops@lb1?api=9091");

        Output missing = run(List.of("--workspace", "staging"), ":0");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("no workspace 'staging'", "(saved: prod)");
        Output badName = run(List.of("--workspace", "../etc/x"), ":0");
        assertThat(badName.err).contains("'../etc/x' is not a workspace name");
    }

    @Test
    void aBrokenWorkspaceLineIsNamedWithItsNumber() throws Exception {
        java.nio.file.Files.writeString(workspaces.resolve("w.workspace"), "# comment\ndemo\nattach ftp://x\n");
        Output o = run(List.of("--workspace", "w"), ":0");
        assertThat(o.code).isEqualTo(2);
        assertThat(o.err).contains("w.workspace line 3", "ftp");
    }

    @Test
    void aBadArgumentIsAnErrorBeforeAnyWindow() {
        Output o = run(List.of("--nope"), ":0");
        assertThat(o.code).isEqualTo(2);
        assertThat(o.err).contains("unknown option '--nope'");
    }

    private record Output(int code, String out, String err) {}

    private Output run(List<String> args, String display) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Launcher.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), display, null, new Workspaces(workspaces));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
