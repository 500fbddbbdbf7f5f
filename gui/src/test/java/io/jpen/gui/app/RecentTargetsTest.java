package io.jpen.gui.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

class RecentTargetsTest {
    private final Preferences node = Preferences.userRoot().node("io/jpen/console/test-" + ProcessHandle.current().pid());

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void newestFirstWithoutDuplicatesAndBounded() {
        RecentTargets r = new RecentTargets(node);
        for (int i = 0; i < 12; i++) r.remember("http://127.0.0.1:" + (9000 + i));
        r.remember("http://127.0.0.1:9005");
        assertThat(r.list()).hasSize(RecentTargets.KEEP).first().isEqualTo("http://127.0.0.1:9005");
        assertThat(r.list()).doesNotHaveDuplicates();
        assertThat(new RecentTargets(node).list()).isEqualTo(r.list());
    }
}
