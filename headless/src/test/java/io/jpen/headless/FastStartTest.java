package io.jpen.headless;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.spi.SelectorProvider;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jpen's main names the providers libraries would otherwise look for in every jar: SLF4J's, and on Linux the JDK's
 * own selector provider (the same class the JDK picks after its search); Netty gets one pooled allocator in 1 MiB
 * chunks and no leak detector (the tests run it at its strictest); an operator's choice is kept.
 */
class FastStartTest {
    private static final String[] KEYS = {"slf4j.provider", "slf4j.internal.verbosity", "java.nio.channels.spi.SelectorProvider",
            "io.netty.allocator.type", "io.netty.allocator.maxOrder",
            "picocli.disable.closures", "picocli.converters.excludes", "io.netty.jfr.enabled",
            "io.netty.leakDetection.level"};
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        for (String k : KEYS) {
            saved.put(k, System.getProperty(k));
            System.clearProperty(k);
        }
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) System.clearProperty(k); else System.setProperty(k, v);
        });
    }

    @Test
    void namesTheProvidersLibrariesWouldSearchFor() {
        FastStart.apply();
        assertThat(System.getProperty("slf4j.provider")).isEqualTo(io.jpen.core.logging.JpenLogProvider.class.getName());
        assertThat(System.getProperty("slf4j.internal.verbosity")).isEqualTo("WARN");
        assertThat(System.getProperty("io.netty.allocator.type")).isEqualTo("pooled");
        assertThat(System.getProperty("io.netty.allocator.maxOrder")).isEqualTo("7");
        assertThat(System.getProperty("picocli.disable.closures")).isEqualTo("true");
        assertThat(System.getProperty("picocli.converters.excludes")).isEqualTo(FastStart.PICOCLI_UNUSED_CONVERTERS);
        assertThat(System.getProperty("io.netty.jfr.enabled")).isEqualTo("false");
        assertThat(System.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");
        if (System.getProperty("os.name").toLowerCase().startsWith("linux")) {
            // the JDK's own choice, found without the search
            assertThat(System.getProperty("java.nio.channels.spi.SelectorProvider"))
                    .isEqualTo(SelectorProvider.provider().getClass().getName());
        }
    }

    /** The converters left out are for types no option of jpen's has (an option of such a type would need them). */
    @Test
    void picocliLeavesOutOnlyConvertersJpenDoesNotUse() {
        var args = Jpen.commandLine(new Jpen()).getCommandSpec().args();
        assertThat(args).isNotEmpty();
        for (var arg : args) {
            for (Class<?> type : arg.auxiliaryTypes()) {
                assertThat(type.getName()).as(arg.paramLabel()).doesNotMatch(FastStart.PICOCLI_UNUSED_CONVERTERS);
            }
            assertThat(arg.type().getName()).as(arg.paramLabel()).doesNotMatch(FastStart.PICOCLI_UNUSED_CONVERTERS);
        }
        assertThat("java.time.Duration").matches(FastStart.PICOCLI_UNUSED_CONVERTERS);
        assertThat("java.sql.Timestamp").matches(FastStart.PICOCLI_UNUSED_CONVERTERS);
        assertThat("java.nio.file.Path").doesNotMatch(FastStart.PICOCLI_UNUSED_CONVERTERS);
    }

    @Test
    void keepsAnOperatorsChoice() {
        System.setProperty("slf4j.provider", "my.Provider");
        System.setProperty("java.nio.channels.spi.SelectorProvider", "my.Selector");
        System.setProperty("io.netty.allocator.maxOrder", "9");
        System.setProperty("io.netty.leakDetection.level", "paranoid");
        FastStart.apply();
        assertThat(System.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
        assertThat(System.getProperty("io.netty.allocator.maxOrder")).isEqualTo("9");
        assertThat(System.getProperty("slf4j.provider")).isEqualTo("my.Provider");
        assertThat(System.getProperty("slf4j.internal.verbosity")).isNull();
        assertThat(System.getProperty("java.nio.channels.spi.SelectorProvider")).isEqualTo("my.Selector");
    }
}
