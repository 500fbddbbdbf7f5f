package io.jpen.core.control;

import io.jpen.core.engine.EngineState;

/**
 * Every change of state, and every question, is a command: built by the penctl parser, the config loader, the
 * JSON API or the console, and run by {@link io.jpen.core.engine.Engine#execute}.
 */
public interface Command {
    /** Runs the command. Throws {@link IllegalArgumentException} (with a message for the user) to change nothing. */
    Reply apply(EngineState state);
}
