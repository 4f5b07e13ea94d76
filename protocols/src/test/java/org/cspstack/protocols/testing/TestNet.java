package org.cspstack.protocols.testing;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.stack.StackConfig;

/**
 * The addresses every protocol test uses, all from the benchmarking range 198.18.0.0/15 (RFC 2544) and from
 * locally administered MACs: we are 198.18.0.2/24, the peer (and, where one is needed, the gateway) is
 * 198.18.0.1, and 198.19.5.5 is a host off our link.
 */
public final class TestNet {
    public static final MacAddress OUR_MAC = StackConfig.DEFAULT_MAC;
    public static final MacAddress PEER_MAC = MacAddress.parse("02:c5:70:00:00:01");
    /** A unicast MAC of a third host on the link: frames to it reach us only because capture is promiscuous. */
    public static final MacAddress OTHER_MAC = MacAddress.parse("02:c5:70:00:00:99");

    public static final Ipv4Cidr OUR_CIDR = Ipv4Cidr.parse("198.18.0.2/24");
    public static final Ipv4Address OUR_IP = OUR_CIDR.address();
    public static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.1");
    public static final Ipv4Address GATEWAY_IP = PEER_IP;
    /** Another host on our link. */
    public static final Ipv4Address NEIGHBOUR_IP = Ipv4Address.parse("198.18.0.7");
    public static final Ipv4Address SUBNET_BROADCAST = Ipv4Address.parse("198.18.0.255");
    /** A host outside our /24, reachable only through a gateway. */
    public static final Ipv4Address OFF_LINK_IP = Ipv4Address.parse("198.19.5.5");

    private TestNet() {
    }

    /** Our stack's configuration: 198.18.0.2/24, MTU 1500, no gateway. */
    public static StackConfig config() {
        return StackConfig.of(OUR_CIDR);
    }

    /** Our stack's configuration with 198.18.0.1 as the default gateway. */
    public static StackConfig configWithGateway() {
        return config().withGateway(GATEWAY_IP);
    }

    /** {@code n} bytes that differ from position to position and from seed to seed, to spot a misplaced byte. */
    public static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return b;
    }
}
