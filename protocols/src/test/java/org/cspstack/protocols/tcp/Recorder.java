package org.cspstack.protocols.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cspstack.core.wire.TcpRepr;

/** A SegmentSink that records what a single connection emits, for tests that play the peer by hand. */
final class Recorder implements SegmentSink {
    record Out(TcpRepr h, byte[] data) {
        int len() {
            return data.length;
        }

        boolean has(int flag) {
            return h.has(flag);
        }
    }

    final List<Out> out = new ArrayList<>();

    @Override
    public void emit(TcpRepr header, byte[] data, int off, int len) {
        out.add(new Out(header, Arrays.copyOfRange(data, off, off + len)));
    }

    Out last() {
        if (out.isEmpty()) {
            throw new AssertionError("nothing was emitted");
        }
        return out.get(out.size() - 1);
    }

    /** Returns and forgets everything recorded. */
    List<Out> take() {
        List<Out> l = List.copyOf(out);
        out.clear();
        return l;
    }

    int size() {
        return out.size();
    }
}
