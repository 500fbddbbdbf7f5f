package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusPageTest {

    @Test
    void statusPageIsWellFormedHtml5WithPensThreeTables() throws Exception {
        try (Backend a = Backend.echo("a"); Backend b = Backend.echo("b");
             Engine engine = Engines.start(UnaryOperator.identity(), a, b);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            client.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.getInputStream().readNBytes(2)).hasSize(2);
            await().atMost(5, TimeUnit.SECONDS).until(() -> engine.connections().size() == 1);
            String html = Engines.penctl(engine).execute("status").text();

            assertThat(html).startsWith("<!DOCTYPE html>\n");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
            NodeList tables = doc.getElementsByTagName("table");
            assertThat(tables.getLength()).isEqualTo(3);
            // header row plus one row per server, per client, per connection
            assertThat(rows(tables, 0)).isEqualTo(3);
            assertThat(rows(tables, 1)).isEqualTo(2);
            assertThat(rows(tables, 2)).isEqualTo(2);
            assertThat(tables.item(2).getTextContent()).contains("established", "127.0.0.1:" + client.getLocalPort());
        }
    }

    @Test
    void statusPageShowsTheOperatorModes() throws Exception {
        try (Backend a = Backend.echo("a");
             Engine engine = Engines.start(s -> s.withDummy(true).withIdlers(2).withIdleTimeoutSeconds(30)
                     .withFastClose(io.jpen.core.model.FastClose.BOTH).withKeepalive(true).withPendingMax(7), a)) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> a.openConnections() == 2);
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    Engines.penctl(engine).execute("status").text().contains("idlers 2/2"));
            assertThat(Engines.penctl(engine).execute("status").text()).contains("<p>Modes: dummy on, idlers 2/2, "
                    + "tcp_fastclose both, idle_timeout 30 s, keepalive on, tcp_nodelay off, pending_max 7</p>");
        }
    }

    private static int rows(NodeList tables, int i) {
        return ((org.w3c.dom.Element) tables.item(i)).getElementsByTagName("tr").getLength();
    }

    @Test
    void textIsEscaped() {
        assertThat(StatusPage.escape("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }
}
