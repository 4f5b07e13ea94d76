package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** MacAddress, Ipv4Address and Ipv4Cidr: parsing, printing, reading, writing and classification. */
class AddressTest {

    // ---- MacAddress ----

    @Test
    void parsesMacAddressAndPrintsLowerCaseColonForm() {
        MacAddress mac = MacAddress.parse("02:00:5E:10:00:0A");
        assertThat(mac.toString(), is("02:00:5e:10:00:0a"));
        assertThat(mac.toLong(), is(0x0200_5e10_000aL));
        assertThat(MacAddress.parse(mac.toString()), is(mac));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:00:5e:10:00", "02:00:5e:10:00:02:03", "02-00-5e-10-00-02", "2:0:5e:10:0:2",
            "02:00:5e:10:00:0g", "02:00:5e:10:00:\u0660\u0662", "02:00:5e:10:00:02 ", "0200.5e10.0002",
            "02:00:5e:10:00::2", "+2:00:5e:10:00:02"})
    void rejectsMalformedMacAddressWithClearMessage(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad));
        assertThat(e.getMessage(), containsString("not a MAC address: \"" + bad + "\""));
        assertThat(e.getMessage(), containsString("02:00:5e:10:00:02"));
    }

    @Test
    void makesMacAddressFromExactlySixBytes() {
        MacAddress mac = MacAddress.of(Bytes.fromHex("02005e100002"));
        assertThat(mac, is(Golden.MAC_B));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(1L << 48));
    }

    @Test
    void readsAndWritesMacAddressAtAnOffset() {
        byte[] b = Golden.echoRequestFrame();
        assertThat(MacAddress.read(b, 6), is(Golden.MAC_A));
        assertThat(MacAddress.readLong(b, 0), is(Golden.MAC_B.toLong()));
        byte[] out = new byte[9];
        Golden.MAC_B.write(out, 2);
        assertThat(Bytes.hex(out), is("000002005e100002" + "00"));
    }

    @Test
    void toBytesReturnsAFreshCopy() {
        byte[] b = Golden.MAC_A.toBytes();
        assertThat(Bytes.hex(b), is("02005e100001"));
        b[0] = 0x7f;
        assertThat(Golden.MAC_A.toString(), is("02:00:5e:10:00:01"));
    }

    @Test
    void classifiesMacAddresses() {
        assertThat(MacAddress.BROADCAST.toString(), is("ff:ff:ff:ff:ff:ff"));
        assertThat(MacAddress.BROADCAST.isBroadcast(), is(true));
        assertThat(MacAddress.BROADCAST.isMulticast(), is(true));
        assertThat(MacAddress.BROADCAST.isUnicast(), is(false));

        MacAddress ipv4Multicast = MacAddress.parse("01:00:5e:90:10:00");
        assertThat(ipv4Multicast.isMulticast(), is(true));
        assertThat(ipv4Multicast.isBroadcast(), is(false));
        assertThat(ipv4Multicast.isLocallyAdministered(), is(false));

        assertThat(Golden.MAC_A.isUnicast(), is(true));
        assertThat(Golden.MAC_A.isMulticast(), is(false));
        assertThat(Golden.MAC_A.isLocallyAdministered(), is(true));
        assertThat(MacAddress.parse("00:00:5e:00:53:01").isLocallyAdministered(), is(false));

        assertThat(MacAddress.ZERO.toString(), is("00:00:00:00:00:00"));
        assertThat(MacAddress.ZERO.isUnicast(), is(true));
    }

    @Test
    void comparesMacAddressesByValue() {
        assertThat(MacAddress.parse("02:00:5e:10:00:01"), is(Golden.MAC_A));
        assertThat(MacAddress.parse("02:00:5e:10:00:01").hashCode(), is(Golden.MAC_A.hashCode()));
        assertThat(Golden.MAC_A, is(not(Golden.MAC_B)));
        assertThat(Golden.MAC_A.equals(Golden.MAC_A.toString()), is(false));
    }

    // ---- Ipv4Address ----

    @Test
    void parsesDottedQuad() {
        Ipv4Address a = Ipv4Address.parse("198.19.255.254");
        assertThat(a.toInt(), is(0xc613_fffe));
        assertThat(a.toString(), is("198.19.255.254"));
        assertThat(Ipv4Address.parse("0.0.0.0"), is(Ipv4Address.ANY));
        assertThat(Ipv4Address.parse("255.255.255.255"), is(Ipv4Address.BROADCAST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "198.18.0", "198.18.0.1.5", "256.18.0.1", "198.18.0.256", "198.018.0.1",
            "198.18.0.00", " 198.18.0.1", "198.18.0.1 ", "198..0.1", ".198.18.0", "198.18.0.", "a.b.c.d",
            "198.18.0.1/24", "-1.18.0.1", "+198.18.0.1", "198.18.0.9999", "0x7f.0.0.1", "198.18.0.\u0661"})
    void rejectsMalformedIpv4AddressWithClearMessage(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad));
        assertThat(e.getMessage(), containsString("not an IPv4 address: \"" + bad + "\""));
        assertThat(e.getMessage(), containsString("expected four decimal numbers"));
    }

    @Test
    void makesIpv4AddressFromFourParts() {
        assertThat(Ipv4Address.of(198, 18, 0, 1), is(Golden.IP_A));
        assertThat(Ipv4Address.of(0xc612_0002), is(Golden.IP_B));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.of(256, 18, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.of(198, -1, 0, 1));
    }

    @Test
    void readsAndWritesIpv4AddressAtAnOffset() {
        byte[] frame = Golden.echoRequestFrame();
        assertThat(Ipv4Address.read(frame, 14 + 12), is(Golden.IP_A));
        assertThat(Ipv4Address.read(frame, 14 + 16), is(Golden.IP_B));
        byte[] out = new byte[6];
        Golden.IP_B.write(out, 1);
        assertThat(Bytes.hex(out), is("00c612000200"));
    }

    @Test
    void classifiesIpv4Addresses() {
        assertThat(Ipv4Address.BROADCAST.isBroadcast(), is(true));
        assertThat(Ipv4Address.parse("198.18.0.255").isBroadcast(), is(false));
        assertThat(Ipv4Address.parse("224.0.0.1").isMulticast(), is(true));
        assertThat(Ipv4Address.parse("239.255.255.250").isMulticast(), is(true));
        assertThat(Ipv4Address.parse("240.0.0.1").isMulticast(), is(false));
        assertThat(Golden.IP_A.isMulticast(), is(false));
        assertThat(Ipv4Address.ANY.isUnspecified(), is(true));
        assertThat(Golden.IP_A.isUnspecified(), is(false));
        assertThat(Ipv4Address.parse("127.0.0.1").isLoopback(), is(true));
        assertThat(Ipv4Address.parse("127.255.0.9").isLoopback(), is(true));
        assertThat(Golden.IP_A.isLoopback(), is(false));
    }

    @Test
    void comparesIpv4AddressesByValue() {
        assertThat(Ipv4Address.parse("198.18.0.1"), is(Golden.IP_A));
        assertThat(Ipv4Address.parse("198.18.0.1").hashCode(), is(Golden.IP_A.hashCode()));
        assertThat(Golden.IP_A, is(not(Golden.IP_B)));
    }

    // ---- Ipv4Cidr ----

    @Test
    void parsesCidrAndDerivesNetmaskNetworkAndBroadcast() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("198.18.0.2/24");
        assertThat(cidr.address(), is(Golden.IP_B));
        assertThat(cidr.prefixLength(), is(24));
        assertThat(cidr.netmask(), is(0xffff_ff00));
        assertThat(cidr.network(), is(Ipv4Address.parse("198.18.0.0")));
        assertThat(cidr.broadcast(), is(Ipv4Address.parse("198.18.0.255")));
        assertThat(cidr.toString(), is("198.18.0.2/24"));
        assertThat(Ipv4Cidr.parse(cidr.toString()), is(cidr));
    }

    @Test
    void handlesShortestAndLongestPrefixes() {
        Ipv4Cidr all = Ipv4Cidr.parse("198.18.0.2/0");
        assertThat(all.netmask(), is(0));
        assertThat(all.network(), is(Ipv4Address.ANY));
        assertThat(all.broadcast(), is(Ipv4Address.BROADCAST));
        assertThat(all.contains(Ipv4Address.BROADCAST), is(true));

        Ipv4Cidr host = Ipv4Cidr.parse("198.18.0.2/32");
        assertThat(host.netmask(), is(0xffff_ffff));
        assertThat(host.network(), is(Golden.IP_B));
        assertThat(host.broadcast(), is(Golden.IP_B));
        assertThat(host.contains(Golden.IP_B), is(true));
        assertThat(host.contains(Golden.IP_A), is(false));

        Ipv4Cidr bench = Ipv4Cidr.parse("198.18.0.1/15");
        assertThat(bench.network(), is(Ipv4Address.parse("198.18.0.0")));
        assertThat(bench.broadcast(), is(Ipv4Address.parse("198.19.255.255")));
    }

    @Test
    void containsOnlyAddressesOfItsNetwork() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("198.18.0.2/24");
        assertThat(cidr.contains(Golden.IP_A), is(true));
        assertThat(cidr.contains(Ipv4Address.parse("198.18.0.255")), is(true));
        assertThat(cidr.contains(Ipv4Address.parse("198.18.1.1")), is(false));
        assertThat(cidr.contains(Ipv4Address.parse("198.19.0.1")), is(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.18.0.2", "198.18.0.2/", "198.18.0.2/33", "198.18.0.2/-1", "198.18.0.2/+8",
            "198.18.0.2/024", "198.18.0.2/08", "198.18.0.2/24/1", "198.18.0.2/2a", "198.18.0/24", "/24",
            "198.18.0.2 /24", "198.18.0.2/ 24"})
    void rejectsMalformedCidrWithClearMessage(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(bad));
        assertThat(e.getMessage(), containsString("not an IPv4 CIDR: \"" + bad + "\""));
    }

    @Test
    void rejectsPrefixLengthOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(Golden.IP_A, 33));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(Golden.IP_A, -1));
        assertThrows(NullPointerException.class, () -> new Ipv4Cidr(null, 24));
    }
}
