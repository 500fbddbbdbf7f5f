package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.engine.EngineState;
import io.jpen.core.engine.NameLookup;
import io.jpen.core.model.Reply;

/**
 * A command that needs {@code host}'s address while it holds the command lock (binding a listener, penlogd's
 * socket): the name is looked up first, before the lock, with NameLookup's time limit, so a slow name service
 * holds up only this command; the lookup under the lock then finds the answer in the JVM's cache (30 s).
 */
record LookedUpFirst(String host, Command command) implements Command {
    @Override
    public Command prepare(NameLookup names) {
        names.resolve(host);
        return command;
    }

    @Override
    public Reply apply(EngineState state) {
        return command.apply(state);
    }
}
