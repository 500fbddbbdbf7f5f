package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick reading of jpen's command line (QuickArgs) gives exactly what picocli's gives, option for option, and
 * knows exactly the options the annotations declare; whatever it is not sure of it leaves to picocli.
 */
class QuickArgsTest {

    @ParameterizedTest(name = "jpen {0}")
    @ValueSource(strings = {
            "8080 127.0.0.1:80",
            "-f -r -x 10000 127.0.0.1:21000 127.0.0.1:8001 127.0.0.1:8002",
            "-fr -x10000 127.0.0.1:21000 127.0.0.1:8001",
            "-rfx 10000 8080 a:1 b:2:3:4:5:6",
            "--threads 1 --transport epoll -f -r -U -x 10000 127.0.0.1:0 127.0.0.1:53",
            "--transport=nio --threads=2 8080 a:1",
            "-ddd -a -h -W -s -H -X -T 60 -b 30 -c 2048 -e e:1 -B b:2 -t 5 -q 100 -m 8 8080 a:1",
            "-C 127.0.0.1:10080 -F /etc/jpen.cfg -O roundrobin -o 'no hash' -O http -w /tmp/s.html -l /tmp/log -p /tmp/pid",
            "-u nobody -j /srv -P -Q -Z 8080 a:1",
            "-E /c.pem -K /k.pem -G /ca.pem -A /cadir -R -L tls1.2 8080 a:1",
            "--api 9090 --api-token-file /t --api-tls-cert /c --api-tls-key /k --metrics-public 8080 a:1",
            "8080 a:1 -r -x 5",
            "-b -1 8080 127.0.0.1:80",
            "-t 0 8080 127.0.0.1:80",
            "-x5 -x 7 8080 a:1",
            "-F /etc/jpen/jpen.cfg",
            "/tmp/jpen.sock 127.0.0.1:80",
            "",
    })
    void readsTheUsualCommandLinesAsPicocliDoes(String line) throws Exception {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Jpen quick = QuickArgs.parse(args);
        assertThat(quick).as("read quickly").isNotNull();
        Jpen reference = new Jpen();
        CommandLine cl = new CommandLine(reference);
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setOverwrittenOptionsAllowed(true);
        cl.parseArgs(args);
        assertSameFields(quick.options, reference.options);
        assertSameFields(quick.api, reference.api);
    }

    @ParameterizedTest(name = "jpen {0}")
    @ValueSource(strings = {
            "--help", "--version", "-k 8080 a:1", "-x notanumber 8080 a:1", "-x 010 8080 a:1", "-x +5 8080 a:1",
            "-x", "--transport", "-e -r 8080 a:1", "-- 8080 a:1", "- 8080", "-f=1 8080 a:1", "--metrics-public=true 8080",
            "--nonsense 8080 a:1", "--threads x 8080 a:1",
    })
    void leavesAnythingElseToPicocli(String line) {
        assertThat(QuickArgs.parse(line.split(" "))).isNull();
    }

    @Test
    void knowsExactlyTheOptionsTheAnnotationsDeclare() {
        Set<String> flags = new TreeSet<>();
        Set<String> withValue = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new Jpen()).getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            boolean flag = o.arity().max() == 0;
            for (String n : o.names()) (flag ? flags : withValue).add(n);
        }
        Set<String> quickFlags = new TreeSet<>();
        Set<String> quickWithValue = new TreeSet<>();
        for (char c : QuickArgs.SHORT_FLAGS.toCharArray()) quickFlags.add("-" + c);
        for (char c : QuickArgs.SHORT_WITH_VALUE.toCharArray()) quickWithValue.add("-" + c);
        quickFlags.addAll(QuickArgs.LONG_FLAGS);
        quickWithValue.addAll(QuickArgs.LONG_WITH_VALUE);
        assertThat(quickFlags).isEqualTo(flags);
        assertThat(quickWithValue).isEqualTo(withValue);
    }

    private static void assertSameFields(Object quick, Object reference) throws IllegalAccessException {
        for (Field f : quick.getClass().getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Object a = f.get(quick);
            Object b = f.get(reference);
            if (a instanceof boolean[] x && b instanceof boolean[] y) {
                assertThat(Arrays.equals(x, y)).as(f.getName()).isTrue();
            } else {
                assertThat(a).as(f.getName()).isEqualTo(b);
            }
        }
    }
}
