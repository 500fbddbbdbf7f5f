package io.jpen.core.control;

import io.jpen.core.engine.EngineState;
import io.jpen.core.engine.NameLookup;

/**
 * Every change of state, and every question, is a command: built by the penctl parser, the config loader, the
 * JSON API or the console, and run by {@link io.jpen.core.engine.Engine#execute}.
 */
public interface Command {
    /** Runs the command. Throws {@link IllegalArgumentException} (with a message for the user) to change nothing. */
    Reply apply(EngineState state);

    /**
     * The part of the command that may wait (reading a file, asking the name service), done before the command lock
     * is taken so it never holds up other commands, the API or HUP; returns what then runs under the lock. Throws
     * {@link IllegalArgumentException} like {@link #apply}. A command applied without it does that work itself.
     */
    default Command prepare(NameLookup names) {
        return this;
    }
}
