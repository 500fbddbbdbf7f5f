package io.jpen.core.control;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every malformed form is refused at parse time with a message naming what is wrong; no command comes out. */
class CommandParserTest {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "frobnicate|do_cmd: ignoring command starting with 'frobnicate'",
            "no|no needs a word after it, e.g. 'no hash'",
            "no frobnicate|do_cmd: ignoring command starting with 'no frobnicate'",
            "no hash now|hash takes no arguments",
            "no log now|log takes no arguments",
            "servers 1|servers takes no arguments",
            "mode x|mode takes no arguments",
            "hash 1|hash takes no arguments",
            "roundrobin x|roundrobin takes no arguments",
            "status x|status takes no arguments",
            "pid 1|pid takes no arguments",
            "control 1|control takes no arguments",
            "exit now|exit takes no arguments",
            "blacklist x|blacklist: 'x' is not a number",
            "blacklist -1|blacklist: -1 is below the minimum 0",
            "blacklist 1 2|blacklist takes at most one number",
            "timeout 0|timeout: 0 is below the minimum 1",
            "tracking 1.5|tracking: '1.5' is not a number",
            "conn_max 0|conn_max: 0 is below the minimum 1",
            "clients_max 0|clients_max: 0 is below the minimum 1",
            "debug -2|debug: -2 is below the minimum 0",
            "pending_max 0|pending_max: 0 is below the minimum 1",
            "idle_timeout -1|idle_timeout: -1 is below the minimum 0",
            "idle_timeout 1 2|idle_timeout takes at most one number",
            "idlers x|idlers: 'x' is not a number",
            "tcp_fastclose maybe|tcp_fastclose takes up, down, both or off, not 'maybe'",
            "tcp_fastclose up down|tcp_fastclose takes one of up, down, both, off",
            "close|close takes a connection number",
            "close x|close: 'x' is not a number",
            "close 1 2|close takes a connection number",
            "connection|connection takes a connection number",
            "socket x|socket: 'x' is not a number",
            "recent x|recent: 'x' is not a number",
            "recent 1 2|recent takes at most a number of seconds",
            "listen 1 2|listen takes at most one [address:]port",
            "listen host:99999|listen: port 99999 out of range (0-65535) in 'host:99999'",
            "listen [::1|listen: bad address '[::1': expected [IPv6]:port",
            "log a b|log takes at most one file name",
            "web_stats a b|web_stats takes at most one file name",
            "include|include takes one file name",
            "include a b|include takes one file name",
            "write a b|write takes at most one file name",
            "server|server takes a server number",
            "server x|server: 'x' is not a number",
            "server -1|server: -1 is below the minimum 0",
            "server 0 weight|server 0: 'weight' has no value",
            "server 0 colour red|server 0: unknown field 'colour'",
            "server 0 port 70000|port 70000 out of range 0-65535",
            "server 0 port x|port: 'x' is not a number",
            "server 0 max -1|max: -1 is below the minimum 0",
            "server 0 hard x|hard: 'x' is not a number",
            "server 0 weight x|weight: 'x' is not a number",
            "server 0 prio -3|prio: -3 is below the minimum 0",
            "server 0 acl 10|acl 10 out of range 0-9",
            "server 0 blacklist x|blacklist: 'x' is not a number",
    })
    void malformedCommandsAreRefusedWithAReason(String line, String message) {
        assertThatThrownBy(() -> OPERATOR.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"servers", "server 0", "server 1 address h port 1 max 2 hard 3 weight 4 prio 5 blacklist 6 acl 7",
            "mode", "roundrobin", "no roundrobin", "hash", "no hash", "weight", "no weight", "prio", "no prio",
            "stubborn", "no stubborn", "http", "no http", "dummy", "no dummy", "tcp_nodelay", "no tcp_nodelay",
            "keepalive", "no keepalive", "ascii", "no ascii", "no abort_on_error",
            "blacklist", "blacklist 5", "timeout", "timeout 5", "tracking", "tracking 0", "conn_max", "conn_max 9",
            "clients_max", "clients_max 9", "debug", "debug 2", "pending_max", "pending_max 3",
            "idle_timeout", "idle_timeout 0", "idlers", "idlers 2", "tcp_fastclose", "tcp_fastclose off",
            "close 1", "connection 1", "socket 1", "recent", "recent 60", "status", "listen", "listen 8080",
            "listen 127.0.0.1:8080", "listen [::1]:8080", "listen ::1:8080", "control", "pid", "log", "log /tmp/x",
            "no log", "web_stats", "web_stats /tmp/x", "no web_stats", "include /tmp/x", "write", "write /tmp/x",
            "exit", "epoll", "poll", "select", "kqueue", "block", "no block", "delayed_forward",
            "no delayed_forward", "# comment", "", "   timeout    5   "})
    void everyPenCommandParses(String line) {
        assertThat(OPERATOR.parse(line)).isNotNull();
    }
}
