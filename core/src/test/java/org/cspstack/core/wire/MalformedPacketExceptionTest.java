package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/** MalformedPacketException: reason, message, and no stack trace. */
class MalformedPacketExceptionTest {

    @Test
    void carriesReasonAndMessage() {
        MalformedPacketException e = new MalformedPacketException(Reason.BAD_CHECKSUM, "IPv4 header checksum");
        assertThat(e.reason(), is(Reason.BAD_CHECKSUM));
        assertThat(e.getMessage(), is("BAD_CHECKSUM: IPv4 header checksum"));
    }

    @Test
    void recordsNoStackTrace() {
        MalformedPacketException e = new MalformedPacketException(Reason.TRUNCATED, "short");
        assertThat(e.getStackTrace().length, is(0));
    }
}
