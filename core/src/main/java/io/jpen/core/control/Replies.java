package io.jpen.core.control;

import io.jpen.core.model.ServerSpec;
import io.jpen.core.select.Server;

import java.util.List;

/** Pen's reply shapes, so Debian's penctl and scripts written for Pen read jpen's answers. */
public final class Replies {
    private Replies() {}

    /** {@code N addr A port P conn C max M hard H weight W prio R sx SENT rx RECEIVED}, one line per server. */
    public static String servers(List<Server> servers) {
        StringBuilder b = new StringBuilder();
        for (Server s : servers) {
            ServerSpec p = s.spec();
            b.append(s.index()).append(" addr ").append(p.host()).append(" port ").append(p.port())
                    .append(" conn ").append(s.connections()).append(" max ").append(p.soft())
                    .append(" hard ").append(p.hard()).append(" weight ").append(p.weight())
                    .append(" prio ").append(p.prio()).append(" sx ").append(s.bytesSent())
                    .append(" rx ").append(s.bytesReceived()).append('\n');
        }
        return b.toString();
    }
}
