package io.jpen.core.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ApiTokenTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedTokenFileIsReadableByItsOwnerOnlyAndReusedNextTime() throws Exception {
        Path file = dir.resolve("sub/api-token");
        String token = ApiToken.loadOrCreate(file);
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(ApiToken.loadOrCreate(file)).isEqualTo(token);
        assertThat(ApiToken.loadOrCreate(dir.resolve("other"))).isNotEqualTo(token);
    }

    @Test
    void aTokenMatchesOnlyItselfAndOnlyAsABearerHeader() {
        ApiToken t = ApiToken.of("s3cret-token");
        assertThat(t.matches("s3cret-token")).isTrue();
        assertThat(t.matches("s3cret-toke")).isFalse();
        assertThat(t.matches("s3cret-token ")).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matchesHeader("Bearer s3cret-token")).isTrue();
        assertThat(t.matchesHeader("bearer s3cret-token")).isTrue();
        assertThat(t.matchesHeader("Basic s3cret-token")).isFalse();
        assertThat(t.matchesHeader("s3cret-token")).isFalse();
        assertThat(t.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> ApiToken.of(" ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ApiToken.of("a b")).hasMessageContaining("without spaces");
    }

    @Test
    void theDefaultFileFollowsXdgConfigHomeThenHomeAsUnixCommandsDo() {
        assertThat(ApiToken.defaultFile(Map.of("HOME", "/home/op", "XDG_CONFIG_HOME", "/etc/op")))
                .isEqualTo(Path.of("/etc/op/jpen/api-token"));
        assertThat(ApiToken.defaultFile(Map.of("HOME", "/home/op"))).isEqualTo(Path.of("/home/op/.config/jpen/api-token"));
        // The XDG specification: a relative XDG_CONFIG_HOME is invalid and ignored.
        assertThat(ApiToken.defaultFile(Map.of("HOME", "/home/op", "XDG_CONFIG_HOME", "rel")))
                .isEqualTo(Path.of("/home/op/.config/jpen/api-token"));
        assertThat(ApiToken.defaultFile(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "jpen", "api-token"));
    }

    @Test
    void anEmptyTokenFileIsRefusedWithItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ApiToken.read(file)).hasMessageContaining("empty").hasMessageContaining(file.toString());
    }
}
