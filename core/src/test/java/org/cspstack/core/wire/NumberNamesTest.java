package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** EtherType, IpProtocol and IcmpType: values and log names. */
class NumberNamesTest {

    @Test
    void namesEtherTypesAndFormatsOthersInHex() {
        assertThat(EtherType.IPV4, is(0x0800));
        assertThat(EtherType.ARP, is(0x0806));
        assertThat(EtherType.IPV6, is(0x86dd));
        assertThat(EtherType.VLAN, is(0x8100));
        assertThat(EtherType.name(EtherType.IPV4), is("IPv4"));
        assertThat(EtherType.name(EtherType.ARP), is("ARP"));
        assertThat(EtherType.name(EtherType.IPV6), is("IPv6"));
        assertThat(EtherType.name(EtherType.VLAN), is("VLAN"));
        assertThat(EtherType.name(0x88cc), is("0x88cc"));
    }

    @Test
    void namesIpProtocolsAndNumbersOthers() {
        assertThat(IpProtocol.ICMP, is(1));
        assertThat(IpProtocol.TCP, is(6));
        assertThat(IpProtocol.UDP, is(17));
        assertThat(IpProtocol.name(IpProtocol.ICMP), is("ICMP"));
        assertThat(IpProtocol.name(IpProtocol.TCP), is("TCP"));
        assertThat(IpProtocol.name(IpProtocol.UDP), is("UDP"));
        assertThat(IpProtocol.name(132), is("protocol 132"));
    }

    @Test
    void namesIcmpTypes() {
        assertThat(IcmpType.ECHO_REPLY, is(0));
        assertThat(IcmpType.DESTINATION_UNREACHABLE, is(3));
        assertThat(IcmpType.ECHO_REQUEST, is(8));
        assertThat(IcmpType.TIME_EXCEEDED, is(11));
        assertThat(IcmpType.PARAMETER_PROBLEM, is(12));
        assertThat(IcmpType.UNREACHABLE_PORT, is(3));
        assertThat(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED, is(4));
        assertThat(IcmpType.TIME_EXCEEDED_REASSEMBLY, is(1));
        assertThat(IcmpType.name(IcmpType.ECHO_REQUEST), is("echo request"));
        assertThat(IcmpType.name(42), is("type 42"));
    }
}
