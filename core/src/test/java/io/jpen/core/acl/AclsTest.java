package io.jpen.core.acl;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AclsTest {
    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    private static AclEntry entry(String line) {
        return AclEntry.parse(line.split(" "));
    }

    @Test
    void anEmptyListPermitsEveryone() throws Exception {
        assertThat(Acls.EMPTY.permits(0, ip("10.1.2.3"))).isTrue();
        assertThat(Acls.EMPTY.permits(9, ip("::1"))).isTrue();
        assertThat(Acls.EMPTY.permits(-1, ip("::1"))).isTrue();
    }

    @Test
    void theFirstMatchingEntryDecides() throws Exception {
        Acls a = Acls.EMPTY.plus(1, entry("permit 127.0.0.2")).plus(1, entry("deny 127.0.0.0 255.0.0.0"));
        assertThat(a.permits(1, ip("127.0.0.2"))).isTrue();
        assertThat(a.permits(1, ip("127.0.0.3"))).isFalse();
    }

    @Test
    void whenNothingMatchesTheVerdictIsTheOppositeOfTheLastEntry() throws Exception {
        Acls denies = Acls.EMPTY.plus(2, entry("deny 127.0.0.2"));
        assertThat(denies.permits(2, ip("127.0.0.2"))).isFalse();
        assertThat(denies.permits(2, ip("127.0.0.1"))).isTrue();
        Acls permits = Acls.EMPTY.plus(3, entry("permit 10.0.0.0 255.0.0.0"));
        assertThat(permits.permits(3, ip("10.9.9.9"))).isTrue();
        assertThat(permits.permits(3, ip("192.168.1.1"))).isFalse();
    }

    @Test
    void ipv6EntriesMatchByPrefixAndNeverMatchIpv4Clients() throws Exception {
        Acls a = Acls.EMPTY.plus(4, entry("deny 2001:db8::/32"));
        assertThat(a.permits(4, ip("2001:db8:1::5"))).isFalse();
        assertThat(a.permits(4, ip("2001:db9::5"))).isTrue();
        assertThat(a.permits(4, ip("127.0.0.1"))).isTrue();
        Acls exact = Acls.EMPTY.plus(5, entry("permit ::1"));
        assertThat(exact.permits(5, ip("::1"))).isTrue();
        assertThat(exact.permits(5, ip("::2"))).isFalse();
    }

    @Test
    void anIpv4MappedClientIsMatchedAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 2};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        Acls a = Acls.EMPTY.plus(0, entry("deny 127.0.0.2"));
        assertThat(a.permits(0, v6)).isFalse();
    }

    @Test
    void clearingAListPermitsAllAgainAndLeavesOthersAlone() throws Exception {
        Acls a = Acls.EMPTY.plus(1, entry("deny 127.0.0.2")).plus(2, entry("deny 127.0.0.2"));
        Acls cleared = a.cleared(1);
        assertThat(cleared.permits(1, ip("127.0.0.2"))).isTrue();
        assertThat(cleared.permits(2, ip("127.0.0.2"))).isFalse();
        assertThat(a.permits(1, ip("127.0.0.2"))).as("the old value is unchanged").isFalse();
    }

    @Test
    void commandsRecreateTheLists() {
        Acls a = Acls.EMPTY.plus(1, entry("permit 10.0.0.7 255.255.0.0")).plus(1, entry("deny ::1/128"))
                .plus(7, entry("deny 192.168.0.0/16"));
        assertThat(a.commands()).containsExactly("no acl 0", "no acl 1", "acl 1 permit 10.0.0.0 255.255.0.0",
                "acl 1 deny ::1/128", "no acl 2", "no acl 3", "no acl 4", "no acl 5", "no acl 6",
                "no acl 7", "acl 7 deny 192.168.0.0 255.255.0.0", "no acl 8", "no acl 9");
        Acls back = Acls.EMPTY;
        for (String line : a.commands()) {
            String[] w = line.split(" ");
            int n = Integer.parseInt(w[2 - (w[0].equals("no") ? 0 : 1)]);
            back = w[0].equals("no") ? back.cleared(n) : back.plus(n, AclEntry.parse(java.util.Arrays.copyOfRange(w, 2, w.length)));
        }
        assertThat(back).isEqualTo(a);
    }

    @Test
    void badEntriesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> entry("allow 1.2.3.4")).hasMessageContaining("'allow' is neither permit nor deny");
        assertThatThrownBy(() -> entry("deny example.com")).hasMessageContaining("'example.com' is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> entry("deny 1.2.3.4 255.255.0")).hasMessageContaining("not an IPv4 mask");
        assertThatThrownBy(() -> entry("deny ::1/129")).hasMessageContaining("prefix length 129");
        assertThatThrownBy(() -> entry("deny ::1 ffff::")).hasMessageContaining("IPv6 entry takes ADDRESS[/LEN]");
        assertThatThrownBy(() -> entry("deny country SE")).hasMessageContaining("GeoIP database");
        assertThatThrownBy(() -> Acls.EMPTY.plus(10, entry("deny ::1"))).hasMessageContaining("acl 10 out of range 0-9");
    }
}
