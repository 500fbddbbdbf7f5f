package io.jpen.gui.app;

import io.jpen.core.api.client.ssh.SshTarget;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One balancer the console is to show: the demo, an in-process balancer from a Pen command line, or a jpen
 * elsewhere by its API address ({@code http(s)://…}) or over SSH ({@code ssh://…}). A workspace is a list of
 * these, written one a line by {@link #line()} — never with a token: an http attach keeps at most the path of a
 * token file here.
 *
 * @param address   for ATTACH: the API's or the SSH address
 * @param penArgs   for LOCAL: the Pen command line
 * @param token     for an http(s) ATTACH: the token, when given directly (never saved)
 * @param tokenFile for an http(s) ATTACH: a local file holding the token
 */
public record BalancerSpec(Kind kind, String address, List<String> penArgs, String token, Path tokenFile) {
    public enum Kind { DEMO, LOCAL, ATTACH }

    public BalancerSpec {
        penArgs = List.copyOf(penArgs);
        if (kind == Kind.ATTACH) {
            if (address == null || address.isBlank()) throw new IllegalArgumentException("--attach needs an address, e.g. http://127.0.0.1:9090 or ssh://host");
            address = address.strip();
            if (SshTarget.isSsh(address)) {
                SshTarget.parse(address); // refused here, with its reason, rather than when the window opens
                if (token != null || tokenFile != null) {
                    throw new IllegalArgumentException("--token and --token-file do not go with " + address
                            + ": over SSH the token is read on the remote host (another path there: ?token-file=PATH)");
                }
            } else {
                Sessions.apiAddress(address);
            }
        } else if (token != null || tokenFile != null) {
            throw new IllegalArgumentException("--token only goes with --attach");
        }
        if (kind == Kind.LOCAL && penArgs.isEmpty()) {
            throw new IllegalArgumentException("--local needs a Pen command line, e.g. --local 8080 127.0.0.1:80");
        }
    }

    public static BalancerSpec demo() {
        return new BalancerSpec(Kind.DEMO, null, List.of(), null, null);
    }

    public static BalancerSpec local(List<String> penArgs) {
        return new BalancerSpec(Kind.LOCAL, null, penArgs, null, null);
    }

    public static BalancerSpec attach(String address) {
        return new BalancerSpec(Kind.ATTACH, address, List.of(), null, null);
    }

    public BalancerSpec withToken(String t) {
        return new BalancerSpec(kind, address, penArgs, t, tokenFile);
    }

    public BalancerSpec withTokenFile(Path f) {
        return new BalancerSpec(kind, address, penArgs, token, f);
    }

    /** Whether this is an attach over SSH. */
    public boolean ssh() {
        return kind == Kind.ATTACH && SshTarget.isSsh(address);
    }

    /** A short name for lists: "demo", "local 8080 …", or the address (an SSH one without its settings). */
    public String label() {
        return switch (kind) {
            case DEMO -> "demo";
            case LOCAL -> "local " + String.join(" ", penArgs);
            case ATTACH -> ssh() ? SshTarget.parse(address).display() : address;
        };
    }

    /** The workspace line: {@code demo}, {@code local PEN-ARGS…} or {@code attach ADDRESS [token-file PATH]}. */
    public String line() {
        return switch (kind) {
            case DEMO -> "demo";
            case LOCAL -> {
                for (String a : penArgs) {
                    if (a.isEmpty() || a.chars().anyMatch(Character::isWhitespace)) {
                        throw new IllegalArgumentException("a workspace cannot keep the local argument '" + a + "' (it contains a space)");
                    }
                }
                yield "local " + String.join(" ", penArgs);
            }
            case ATTACH -> "attach " + address + (tokenFile == null ? "" : " token-file " + tokenFile);
        };
    }

    /** Reads a workspace line back; the message names what is wrong with it. */
    public static BalancerSpec fromLine(String line) {
        String l = line.strip();
        String[] words = l.split("\\s+");
        switch (words[0]) {
            case "demo" -> {
                if (words.length > 1) throw new IllegalArgumentException("'" + l + "': demo takes nothing after it");
                return demo();
            }
            case "local" -> {
                return local(Arrays.asList(words).subList(1, words.length));
            }
            case "attach" -> {
                if (words.length < 2) throw new IllegalArgumentException("'" + l + "': attach needs an address");
                BalancerSpec a = attach(words[1]);
                if (words.length == 2) return a;
                String rest = l.substring(l.indexOf(words[1]) + words[1].length()).strip();
                if (!rest.startsWith("token-file ")) {
                    throw new IllegalArgumentException("'" + l + "': after the address only 'token-file PATH' may follow");
                }
                return a.withTokenFile(Path.of(rest.substring("token-file ".length()).strip()));
            }
            default -> throw new IllegalArgumentException("'" + l + "': a line is demo, local PEN-ARGS or attach ADDRESS");
        }
    }
}
