package io.jpen.core.model;

/**
 * Where an operator's action came from, as the engine's event log names it ({@code penctl: server 1 drain -> ok}):
 * the console, the control port (penctl, jpenctl), the API, a config file or {@code -O} at start, or the re-read
 * of the {@code -F} file on SIGHUP.
 */
public enum Origin {
    CONSOLE("console"),
    PENCTL("penctl"),
    API("API"),
    CONFIG("config"),
    HUP("HUP");

    private final String word;

    Origin(String word) {
        this.word = word;
    }

    /** The word the event log starts an action with. */
    public String word() {
        return word;
    }
}
