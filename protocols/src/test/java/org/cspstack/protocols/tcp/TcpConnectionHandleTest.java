package org.cspstack.protocols.tcp;

import static org.cspstack.protocols.tcp.Wire.A;
import static org.cspstack.protocols.tcp.Wire.B;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.Channel;
import org.junit.jupiter.api.Test;

/** The client side of a connection's request protocol, against a scripted connection process. */
class TcpConnectionHandleTest {

    /**
     * Reading in a loop at moving offsets sends one request object, aimed anew each time (lent to the
     * connection until it answers, as the array is), and gets the thread's one result back: no garbage per read.
     */
    @Test
    void lentReadsAtMovingOffsetsReuseTheThreadsRequestAndResult() throws Exception {
        Any2OneChannel<ConnRequest> requests = Channel.any2one();
        TcpConnectionHandle handle = new TcpConnectionHandle(requests.out(), A, B);
        List<ConnRequest.Read> seen = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        // the scripted connection: answers three reads with 3, 2 and 1 bytes of 'x', 'y', 'z'
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            byte[] fill = {'x', 'y', 'z'};
            for (int i = 0; i < 3; i++) {
                ConnRequest.Read rd = (ConnRequest.Read) requests.in().read();
                seen.add(rd);
                asked.add(rd.off() + "+" + rd.max());
                int n = 3 - i;
                for (int k = 0; k < n; k++) {
                    rd.into()[rd.off() + k] = fill[i];
                }
                rd.replyTo().write(rd.result().fill(rd.into(), n, null));
            }
        });
        byte[] into = new byte[8];
        int at = 0;
        ConnRequest.ReadResult first = null;
        for (int i = 0; i < 3; i++) {
            ConnRequest.ReadResult r = handle.read(into, at, into.length - at);
            if (first == null) {
                first = r;
            }
            assertThat(r, sameInstance(first));
            at += r.length();
        }
        server.get(10, TimeUnit.SECONDS);

        assertThat(new String(into, 0, at, java.nio.charset.StandardCharsets.US_ASCII), is("xxxyyz"));
        assertThat(asked, is(List.of("0+8", "3+5", "5+3")));
        assertThat(seen.get(1), sameInstance(seen.get(0)));
        assertThat(seen.get(2), sameInstance(seen.get(0)));
    }

    /** Writing in a loop sends the thread's one Write, aimed at each chunk, and its boxed length comes back. */
    @Test
    void writesReuseTheThreadsRequest() throws Exception {
        Any2OneChannel<ConnRequest> requests = Channel.any2one();
        TcpConnectionHandle handle = new TcpConnectionHandle(requests.out(), A, B);
        List<ConnRequest.Write> seen = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3; i++) {
                ConnRequest.Write w = (ConnRequest.Write) requests.in().read();
                seen.add(w);
                asked.add(w.off() + "+" + w.len());
                w.replyTo().write(i == 2 ? -1 : w.done()); // the third: the connection can no longer send
            }
        });
        byte[] data = new byte[4000];
        boolean[] sent = {handle.write(data, 0, 2000), handle.write(data, 2000, 2000), handle.write(data, 0, 10)};
        server.get(10, TimeUnit.SECONDS);

        assertThat(asked, is(List.of("0+2000", "2000+2000", "0+10")));
        assertThat(sent[0] && sent[1] && !sent[2], is(true));
        assertThat(seen.get(1), sameInstance(seen.get(0)));
        assertThat(seen.get(2), sameInstance(seen.get(0)));
        // answered: the kept request no longer holds the caller's array
        assertThat(seen.get(0).data().length, is(0));
    }
}
