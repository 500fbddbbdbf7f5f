package io.jpen.core.engine;

import io.jpen.core.model.Reply;

/**
 * Every change of state, and every question, is a command: the engine's own interface for being changed. The
 * control layer builds commands from penctl text and config files, the API from its requests; all of them run
 * through {@link Engine#execute}, under the engine's command lock.
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
