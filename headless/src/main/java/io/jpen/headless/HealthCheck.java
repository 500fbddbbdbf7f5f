package io.jpen.headless;

import io.jpen.core.model.Endpoint;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code jpenctl --check TARGET}, keepalived's vrrp_script: asks the control port {@code health} (the balancer's
 * one-line answer starts with {@code ok} or {@code fail}). Exit status 0 when it says ok (the line goes to stdout),
 * 1 otherwise with one line on stderr saying why, 2 for a TARGET that is not an address.
 */
final class HealthCheck {
    /** How long the check waits unless --timeout says otherwise: keepalived runs it every second or two. */
    static final int TIMEOUT_SECONDS = 2;

    private HealthCheck() {}

    static int run(String target, int timeoutSeconds, PrintWriter out, PrintWriter err) {
        Endpoint endpoint = ControlLine.endpoint(target, err);
        if (endpoint == null) return 2;
        String first;
        try {
            String reply = new String(ControlLine.send(endpoint, "health", timeoutSeconds), StandardCharsets.UTF_8);
            first = reply.strip().lines().findFirst().orElse("");
        } catch (IOException e) {
            err.println("jpenctl: cannot talk to " + target + ": " + ControlLine.describe(e));
            return 1;
        }
        if (first.startsWith("ok")) {
            out.println(first);
            out.flush();
            return 0;
        }
        if (first.startsWith("fail")) {
            err.println("jpenctl: " + target + ": " + first);
        } else {
            // Pen, or a jpen from before health, answers with an error (or nothing, when control_acl turns us away).
            err.println("jpenctl: " + target + " does not answer 'health'" + (first.isEmpty() ? "" : " (it said: " + first + ")"));
        }
        return 1;
    }
}
