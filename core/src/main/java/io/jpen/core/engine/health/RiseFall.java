package io.jpen.core.engine.health;

/**
 * The verdict of one server's check from its results: {@code fall} failures in a row take it down, {@code rise}
 * passes in a row bring it back. A fresh check (just set, or after maintenance) is undecided, and its first result
 * decides at once, so a dead server is out after one probe rather than after {@code fall}. Plain state, used on
 * one event loop at a time; unit tests drive it directly.
 */
final class RiseFall {
    private boolean failed;
    private boolean decided;
    private int streak;

    /** Starts undecided from the verdict the server has now. */
    RiseFall(boolean failed) {
        this.failed = failed;
    }

    boolean failed() {
        return failed;
    }

    /** Results against the verdict so far. */
    int streak() {
        return streak;
    }

    /** Counts one result; true when the verdict changed (then {@link #failed} tells which way). */
    boolean result(boolean ok, int rise, int fall) {
        if (!decided) {
            decided = true;
            streak = 0;
            boolean changed = failed == ok;
            failed = !ok;
            return changed;
        }
        if (ok != failed) { // the result agrees with the verdict
            streak = 0;
            return false;
        }
        streak++;
        if (streak < (ok ? rise : fall)) return false;
        failed = !ok;
        streak = 0;
        return true;
    }
}
