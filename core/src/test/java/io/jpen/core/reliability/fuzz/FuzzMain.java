package io.jpen.core.reliability.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The long fuzz run behind {@code scripts/fuzz.sh SECONDS [TARGET...]}: rounds of 2,000 cases per target with a
 * fresh random seed each, until the time is up. Failing inputs are saved under {@code fuzz-failures/TARGET/}
 * (the input as .bin, the problem and seed as .txt); a buffer leak Netty reports counts as a failure too; the exit
 * code is the number of failures (capped at 100).
 */
public final class FuzzMain {
    private FuzzMain() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        List<String> targets = args.length > 1 ? List.of(args).subList(1, args.length) : Targets.names();
        Path out = Path.of(System.getProperty("jpen.fuzz.out", "fuzz-failures"));
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long perTarget = seconds * 1_000_000_000L / targets.size();
        int failures = 0;
        long total = 0;
        try (AutoCloseable noDns = Guard.noNameLookups()) {
            for (int t = 0; t < targets.size(); t++) {
                String name = targets.get(t);
                long until = Math.min(deadline, System.nanoTime() + perTarget);
                long cases = 0;
                int rounds = 0;
                try (FuzzTarget target = Targets.create(name)) {
                    while (System.nanoTime() < until) {
                        long seed = ThreadLocalRandom.current().nextLong();
                        Fuzzer.Result r = Fuzzer.run(target, seed, 2_000, until);
                        cases += r.cases();
                        rounds++;
                        for (Fuzzer.Failure f : r.failures()) {
                            failures++;
                            Path dir = Files.createDirectories(out.resolve(name));
                            String base = Long.toUnsignedString(seed, 16) + "-" + f.index();
                            Files.write(dir.resolve(base + ".bin"), f.input());
                            Files.writeString(dir.resolve(base + ".txt"), "target " + name + "\nseed " + seed
                                    + "\ncase " + f.index() + "\n\n" + f.problem(), StandardCharsets.UTF_8);
                            System.out.println("FAIL " + name + " seed " + seed + " case " + f.index() + ": saved "
                                    + dir.resolve(base + ".bin"));
                        }
                    }
                }
                total += cases;
                System.out.printf("fuzz %s: %d cases in %d rounds%n", name, cases, rounds);
            }
        }
        // Rejected input takes the paths where a buffer is most easily forgotten.
        failures += io.jpen.core.testing.LeakCheck.report(System.out);
        System.out.printf("fuzz: %d cases, %d failures%n", total, failures);
        System.exit(Math.min(failures, 100));
    }
}
