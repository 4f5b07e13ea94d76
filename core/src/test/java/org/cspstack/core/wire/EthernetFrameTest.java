package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/** EthernetFrame and EthernetRepr against golden Scapy frames (see {@link Golden}). */
class EthernetFrameTest {

    @Test
    void deconstructsGoldenFrame() throws MalformedPacketException {
        byte[] golden = Golden.echoRequestFrame();
        EthernetFrame frame = EthernetFrame.wrapChecked(golden, 0, golden.length);
        assertThat(frame.destination(), is(Golden.MAC_B));
        assertThat(frame.source(), is(Golden.MAC_A));
        assertThat(frame.destinationAsLong(), is(Golden.MAC_B.toLong()));
        assertThat(frame.sourceAsLong(), is(Golden.MAC_A.toLong()));
        assertThat(frame.etherType(), is(EtherType.IPV4));
        assertThat(frame.payloadOffset(), is(14));
        assertThat(frame.payloadLength(), is(44));
        assertThat(frame.length(), is(58));
    }

    @Test
    void constructsGoldenFrameWithSetters() {
        byte[] golden = Golden.echoRequestFrame();
        byte[] out = new byte[golden.length];
        System.arraycopy(golden, 14, out, 14, golden.length - 14);
        EthernetFrame frame = EthernetFrame.wrap(out, 0, out.length);
        frame.setDestination(Golden.MAC_B);
        frame.setSource(Golden.MAC_A);
        frame.setEtherType(EtherType.IPV4);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void parsesReprFromGoldenFrame() throws MalformedPacketException {
        byte[] golden = Golden.arpRequestFrame();
        EthernetRepr repr = EthernetRepr.parse(EthernetFrame.wrapChecked(golden, 0, golden.length));
        assertThat(repr, is(new EthernetRepr(Golden.MAC_A, MacAddress.BROADCAST, EtherType.ARP)));
        assertThat(repr.headerLength(), is(14));
    }

    @Test
    void emitsReprToGoldenHeader() {
        byte[] golden = Golden.echoReplyFrame();
        byte[] out = new byte[14];
        new EthernetRepr(Golden.MAC_B, Golden.MAC_A, EtherType.IPV4).emit(EthernetFrame.wrap(out, 0, 14));
        assertThat(Bytes.hex(out), is(Bytes.hex(golden, 0, 14)));
    }

    @Test
    void reprSurvivesEmitAndParse() throws MalformedPacketException {
        EthernetRepr repr = new EthernetRepr(Golden.MAC_A, Golden.MAC_B, EtherType.IPV6);
        byte[] out = new byte[20];
        repr.emit(EthernetFrame.wrap(out, 3, repr.headerLength()));
        assertThat(EthernetRepr.parse(EthernetFrame.wrapChecked(out, 3, 14)), is(repr));
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] golden = Golden.echoRequestFrame();
        for (int len = 0; len < EthernetFrame.HEADER_LENGTH; len++) {
            int n = len;
            MalformedPacketException e = assertThrows(MalformedPacketException.class,
                    () -> EthernetFrame.wrapChecked(golden, 0, n));
            assertThat("length " + len, e.reason(), is(Reason.TRUNCATED));
        }
    }

    @Test
    void acceptsHeaderOnlyFrame() throws MalformedPacketException {
        byte[] golden = Golden.echoRequestFrame();
        assertThat(EthernetFrame.wrapChecked(golden, 0, 14).payloadLength(), is(0));
    }

    @Test
    void reportsPayloadOffsetAsIndexIntoTheArray() throws MalformedPacketException {
        byte[] golden = Golden.echoRequestFrame();
        byte[] big = new byte[golden.length + 10];
        System.arraycopy(golden, 0, big, 7, golden.length);
        EthernetFrame frame = EthernetFrame.wrapChecked(big, 7, golden.length);
        assertThat(frame.offset(), is(7));
        assertThat(frame.payloadOffset(), is(21));
        assertThat(Bytes.u8(frame.buffer(), frame.payloadOffset()), is(0x45));
        assertThat(frame.source(), is(Golden.MAC_A));
    }

    @Test
    void rewrapReusesOneView() throws MalformedPacketException {
        byte[] first = Golden.echoRequestFrame();
        byte[] second = Golden.arpRequestFrame();
        EthernetFrame view = new EthernetFrame();
        assertThat(view.rewrapChecked(first, 0, first.length), is(sameInstance(view)));
        assertThat(view.etherType(), is(EtherType.IPV4));
        assertThat(view.rewrap(second, 0, second.length), is(sameInstance(view)));
        assertThat(view.etherType(), is(EtherType.ARP));
        assertThat(view.destination(), is(MacAddress.BROADCAST));
    }

    @Test
    void failedRewrapLeavesViewUnchanged() throws MalformedPacketException {
        byte[] golden = Golden.echoRequestFrame();
        EthernetFrame view = EthernetFrame.wrapChecked(golden, 0, golden.length);
        assertThrows(MalformedPacketException.class, () -> view.rewrapChecked(new byte[10], 0, 10));
        assertThat(view.buffer(), is(sameInstance(golden)));
        assertThat(view.length(), is(58));
    }

    @Test
    void rejectsRangeOutsideTheArrayAsCallerBug() {
        byte[] golden = Golden.echoRequestFrame();
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetFrame.wrapChecked(golden, 10, golden.length));
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetFrame.wrapChecked(golden, -1, 20));
    }

    @Test
    void parseRejectsIeee8023LengthField() throws MalformedPacketException {
        byte[] frame = Golden.echoRequestFrame();
        Bytes.putU16(frame, 12, 44); // an 802.3 length, not an EtherType
        EthernetFrame view = EthernetFrame.wrapChecked(frame, 0, frame.length);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> EthernetRepr.parse(view));
        assertThat(e.reason(), is(Reason.UNSUPPORTED));
    }

    @Test
    void reprRejectsValuesThatAreNotEtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> new EthernetRepr(Golden.MAC_A, Golden.MAC_B, 0x05ff));
        assertThrows(IllegalArgumentException.class, () -> new EthernetRepr(Golden.MAC_A, Golden.MAC_B, 0x10000));
        assertThrows(NullPointerException.class, () -> new EthernetRepr(null, Golden.MAC_B, EtherType.IPV4));
    }
}
