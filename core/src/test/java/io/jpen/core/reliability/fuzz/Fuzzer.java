package io.jpen.core.reliability.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Random and mutated inputs against a {@link FuzzTarget}: each case starts from a corpus entry (or nothing) and
 * goes through a few mutations (bit flips, byte insertions and deletions, dictionary words, repeats, splices,
 * edge numbers). A case that breaks the target's rules, throws something unexpected or runs longer than the
 * hang limit is a failure; failures are collected (and saved by the script) with the seed that makes them.
 */
public final class Fuzzer {
    /** A case that takes longer than this is a hang. */
    private static final long HANG_MILLIS = 5_000;
    private static final String[] EDGE_NUMBERS = {"0", "-1", "1", "65535", "65536", "2147483647", "2147483648",
            "-2147483648", "9999999999999999999", "007", "+5", "1e3", "0x10", "\u0661\u0662", "3.5", ""};

    /** One failing case. */
    public record Failure(String target, long seed, int index, byte[] input, String problem) {
        public String inputText() {
            return new String(input, StandardCharsets.ISO_8859_1);
        }
    }

    /** What a run did. */
    public record Result(String target, int cases, List<Failure> failures) {}

    private Fuzzer() {}

    /** Runs {@code cases} cases (or until {@code deadlineNanos}, whichever comes first) from {@code seed}. */
    public static Result run(FuzzTarget target, long seed, int cases, long deadlineNanos) {
        List<byte[]> corpus = corpus(target.name());
        List<byte[]> words = new ArrayList<>();
        for (String w : target.dictionary()) words.add(w.getBytes(StandardCharsets.UTF_8));
        for (String n : EDGE_NUMBERS) words.add(n.getBytes(StandardCharsets.UTF_8));
        SplittableRandom random = new SplittableRandom(seed);
        List<Failure> failures = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + target.name());
            t.setDaemon(true);
            return t;
        });
        int done = 0;
        try {
            // Every corpus entry as it is first: the seeds must pass unmutated.
            for (int i = 0; i < cases && System.nanoTime() < deadlineNanos; i++) {
                byte[] input = i < corpus.size() ? corpus.get(i) : mutate(corpus, words, random);
                String problem = runOne(worker, target, input);
                done++;
                if (problem != null) {
                    failures.add(new Failure(target.name(), seed, i, input, problem));
                    if (problem.startsWith("hang")) break; // the worker is stuck: stop here
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return new Result(target.name(), done, failures);
    }

    private static String runOne(ExecutorService worker, FuzzTarget target, byte[] input) {
        Future<?> f = worker.submit(() -> {
            target.check(input);
            return null;
        });
        try {
            f.get(HANG_MILLIS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "hang: no answer within " + HANG_MILLIS + " ms";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            java.io.StringWriter w = new java.io.StringWriter();
            c.printStackTrace(new java.io.PrintWriter(w));
            return (c instanceof AssertionError ? "" : "unexpected ") + w;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static byte[] mutate(List<byte[]> corpus, List<byte[]> words, SplittableRandom r) {
        byte[] b = corpus.isEmpty() || r.nextInt(10) == 0 ? new byte[0] : corpus.get(r.nextInt(corpus.size())).clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            switch (r.nextInt(9)) {
                case 0 -> { // flip a bit
                    if (b.length > 0) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                case 1 -> { // random bytes in
                    byte[] ins = new byte[1 + r.nextInt(8)];
                    r.nextBytes(ins);
                    b = insert(b, r.nextInt(b.length + 1), ins);
                }
                case 2 -> { // a stretch out
                    if (b.length > 0) {
                        int from = r.nextInt(b.length);
                        int len = 1 + r.nextInt(Math.min(16, b.length - from));
                        byte[] out = new byte[b.length - len];
                        System.arraycopy(b, 0, out, 0, from);
                        System.arraycopy(b, from + len, out, from, b.length - from - len);
                        b = out;
                    }
                }
                case 3, 4 -> { // a dictionary word, space-separated half the time
                    byte[] w = words.get(r.nextInt(words.size()));
                    if (r.nextBoolean()) w = (" " + new String(w, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
                    b = insert(b, r.nextInt(b.length + 1), w);
                }
                case 5 -> { // repeat a stretch (long lines, many headers)
                    if (b.length > 0) {
                        int from = r.nextInt(b.length);
                        int len = 1 + r.nextInt(Math.min(64, b.length - from));
                        byte[] piece = Arrays.copyOfRange(b, from, from + len);
                        int times = 1 + r.nextInt(r.nextInt(20) == 0 ? 5000 : 8);
                        byte[] rep = new byte[piece.length * times];
                        for (int t = 0; t < times; t++) System.arraycopy(piece, 0, rep, t * piece.length, piece.length);
                        b = insert(b, from, rep);
                    }
                }
                case 6 -> { // splice with another corpus entry
                    if (!corpus.isEmpty()) {
                        byte[] o = corpus.get(r.nextInt(corpus.size()));
                        int cut = r.nextInt(b.length + 1);
                        int ocut = r.nextInt(o.length + 1);
                        b = insert(Arrays.copyOf(b, cut), cut, Arrays.copyOfRange(o, ocut, o.length));
                    }
                }
                case 7 -> { // a special byte: NUL, CR, LF, tab, high byte
                    byte[] specials = {0, '\r', '\n', '\t', ' ', (byte) 0xff, (byte) 0xc3, '#', ':', '"', '\\', '{', '}'};
                    b = insert(b, r.nextInt(b.length + 1), new byte[]{specials[r.nextInt(specials.length)]});
                }
                default -> { // truncate
                    if (b.length > 0) b = Arrays.copyOf(b, r.nextInt(b.length));
                }
            }
        }
        return b.length > 256 * 1024 ? Arrays.copyOf(b, 256 * 1024) : b;
    }

    private static byte[] insert(byte[] b, int at, byte[] ins) {
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    /** The seed corpus: every file in fuzz/NAME/ on the test class path (one input per file). */
    static List<byte[]> corpus(String name) {
        URL dir = Fuzzer.class.getClassLoader().getResource("fuzz/" + name);
        List<byte[]> out = new ArrayList<>();
        if (dir == null) return out;
        try (var files = Files.list(Path.of(dir.toURI()))) {
            for (Path p : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
