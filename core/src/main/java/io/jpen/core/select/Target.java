package io.jpen.core.select;

/** Where a connection attempt goes: a regular server by index, or one of Pen's special servers. */
public final class Target {
    public static final int NONE = -1;
    public static final int EMERGENCY = -2;
    public static final int ABUSE = -3;

    private Target() {}

    public static boolean regular(int target) {
        return target >= 0;
    }

    public static String name(int target) {
        return switch (target) {
            case NONE -> "none";
            case EMERGENCY -> "emergency";
            case ABUSE -> "abuse";
            default -> Integer.toString(target);
        };
    }
}
