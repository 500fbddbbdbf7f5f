package io.jpen.core.model;

/** What a command answers: the text Pen would print (possibly empty), and whether it was accepted. */
public record Reply(boolean ok, String text) {
    public static final Reply EMPTY = new Reply(true, "");

    public static Reply ok(String text) {
        return new Reply(true, text);
    }

    public static Reply error(String text) {
        return new Reply(false, text);
    }
}
