package io.jpen.core.engine;

/** Run in a child JVM without capabilities by {@link UpstreamTest}: prints what checking transparent mode says. */
public final class TransparentProbe {
    private TransparentProbe() {}

    public static void main(String[] args) {
        try {
            Upstream.checkTransparent(Transport.valueOf(args[0]));
            System.out.println("permitted");
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }
    }
}
