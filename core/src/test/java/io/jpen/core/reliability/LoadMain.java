package io.jpen.core.reliability;

/**
 * The full-size load run behind {@code scripts/load.sh}, outside Surefire (whose fork time limit a 1,000 x
 * 100 MiB run exceeds): the same test code as CI, sized by the same system properties, and with Netty's leak
 * detector reporting to {@link io.jpen.core.testing.LeakGate} when load.sh installs it. Exits 1 on a failure or a leak.
 */
public final class LoadMain {
    private LoadMain() {}

    public static void main(String[] args) throws Exception {
        int failures = 0;
        for (String part : args.length > 0 ? args : new String[]{"churn", "slow", "integrity"}) {
            try {
                switch (part) {
                    case "churn" -> new ConnectionChurnTest().thousandsOfConnectionsAbortedAtRandomOnBothSidesLeaveNothingBehind();
                    case "slow" -> new SlowClientMemoryTest().slowClientsPullingFromAFastBackendKeepJpensBufferingBounded();
                    case "integrity" -> new IntegrityTest().randomStreamsInRandomPiecesComeBackThroughJpenExactlyAsSent(
                            io.jpen.core.engine.Transport.best());
                    default -> throw new IllegalArgumentException("unknown part '" + part + "' (churn, slow, integrity)");
                }
                System.out.println(part + ": passed");
            } catch (Throwable t) {
                failures++;
                System.out.println(part + ": FAILED: " + t);
            }
        }
        if (io.jpen.core.testing.LeakCheck.report(System.out) > 0) failures++;
        System.exit(failures == 0 ? 0 : 1);
    }
}
