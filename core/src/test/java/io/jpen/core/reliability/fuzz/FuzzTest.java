package io.jpen.core.reliability.fuzz;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fuzz that CI runs: a fixed seed, a few thousand cases per target, seconds in all.
 * {@code scripts/fuzz.sh SECONDS} runs {@link FuzzMain} longer, with random seeds, and saves failing inputs.
 */
@Timeout(300)
class FuzzTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"command-parser, 4000", "config-file, 1500", "http-head, 4000", "control-port, 600", "api-http, 600", "api-json, 600", "proxy-header, 3000"})
    void randomAndMutatedInputIsAnsweredWithAValidReplyOrAClearErrorAndAppliesNothingWhenBad(String target, int cases)
            throws Exception {
        Fuzzer.Result result;
        try (AutoCloseable noDns = Guard.noNameLookups(); FuzzTarget t = Targets.create(target)) {
            result = Fuzzer.run(t, 20261125L, cases, Long.MAX_VALUE);
        }
        System.out.printf("fuzz %s: %d cases, %d failures%n", target, result.cases(), result.failures().size());
        assertThat(result.failures()).as(() -> result.failures().isEmpty() ? "" : "first failing input "
                + quoted(result.failures().get(0).inputText()) + ": " + result.failures().get(0).problem()).isEmpty();
        assertThat(result.cases()).isEqualTo(cases);
    }

    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 32 && c < 127 && c != '"' && c != '\\') b.append(c); else b.append(String.format("\\u%04x", (int) c));
            if (b.length() > 400) return b.append("...\"").toString();
        }
        return b.append('"').toString();
    }
}
