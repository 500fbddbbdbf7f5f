package io.jpen.core.reliability.fuzz;

import java.util.List;

/**
 * One thing that takes untrusted input. {@link #check} feeds it one case and throws {@link AssertionError} when
 * the answer breaks the rules (anything but a valid reply or a clear error, a change applied from bad input).
 * A new target is a class with these four methods plus a line in {@link Targets}.
 */
public interface FuzzTarget extends AutoCloseable {
    /** Short name: the corpus lives in src/test/resources/fuzz/NAME/. */
    String name();

    /** Words and fragments the mutator splices in (command names, header names, edge-case numbers). */
    List<String> dictionary();

    void check(byte[] input) throws Exception;

    @Override
    default void close() throws Exception {}
}
