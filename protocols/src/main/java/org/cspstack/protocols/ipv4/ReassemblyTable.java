package org.cspstack.protocols.ipv4;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.protocols.stack.StackConfig;

/**
 * Every datagram in reassembly in one table, as lwIP's {@code ip_reass} keeps them: plain logic, no clock and no
 * channels, for the single reassembly process ({@link SingleReassemblyProcess}). Each entry is a
 * {@link FragmentAssembly} (the same policy as a per-datagram process) with its deadline, first fragment time
 * plus the timeout.
 *
 * <p>Entries are kept in the order they started, which is also deadline order (one timeout for all), so the
 * earliest deadline is the first entry's and {@link #expire} stops at the first entry still in time.
 *
 * <p><b>Limits.</b> The IPv4 layer keeps the datagram and byte caps and releases what it evicts. The table
 * keeps the same caps itself as well ({@code maxDatagrams}, {@code maxBytes} of data held), evicting its
 * oldest entry quietly, so that its memory stays bounded even if a release message was lost on a full queue.
 *
 * <p>Not thread-safe: it belongs to one process.
 */
final class ReassemblyTable {
    private final long timeoutMillis;
    private final int maxDatagrams;
    private final long maxBytes;
    private final Map<FragmentKey, Entry> entries = new LinkedHashMap<>();
    private long bytesHeld;
    private long evictions;
    private long started;

    private static final class Entry {
        final FragmentAssembly assembly = new FragmentAssembly();
        final long deadline;
        int duplicates;
        int rejected;

        Entry(long deadline) {
            this.deadline = deadline;
        }
    }

    ReassemblyTable(StackConfig.ReassemblySettings settings) {
        this.timeoutMillis = settings.timeout().toMillis();
        this.maxDatagrams = settings.maxDatagrams();
        this.maxBytes = settings.maxBytes();
    }

    /**
     * Feeds one fragment of datagram {@code key} at time {@code now} (milliseconds); its bytes are copied. Returns
     * the datagram's event when this fragment ends it (whole, or dropped whole), else null. A fragment for a
     * datagram not in the table starts an entry.
     */
    ReassemblyEvent add(FragmentKey key, Ipv4Packet fragment, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            while (entries.size() >= maxDatagrams) {
                evictOldest();
            }
            e = new Entry(now + timeoutMillis);
            entries.put(key, e);
            started++;
        }
        int before = e.assembly.bytesHeld();
        FragmentAssembly.Outcome outcome = e.assembly.add(fragment);
        bytesHeld += e.assembly.bytesHeld() - before;
        switch (outcome) {
            case COMPLETE -> {
                remove(key, e);
                return new ReassemblyEvent.Complete(key, e.assembly.assemble(), e.assembly.fragmentsAccepted(),
                        e.duplicates, e.rejected);
            }
            case DUPLICATE -> e.duplicates++;
            case REJECTED -> e.rejected++;
            case INCOMPLETE -> {
                // wait for more
            }
            default -> {
                remove(key, e);
                return new ReassemblyEvent.Dropped(key, outcome, e.duplicates, e.rejected);
            }
        }
        while (bytesHeld > maxBytes && entries.size() > 1) {
            evictOldest();
        }
        if (bytesHeld > maxBytes && entries.containsKey(key)) {
            remove(key, e);
            evictions++;
        }
        return null;
    }

    /** The layer let go of datagram {@code key}: forget it, quietly. False when it was not in the table. */
    boolean release(FragmentKey key) {
        Entry e = entries.get(key);
        if (e == null) {
            return false;
        }
        remove(key, e);
        return true;
    }

    /** The datagrams whose time ran out at {@code now}, oldest first, removed from the table. */
    List<ReassemblyEvent> expire(long now) {
        List<ReassemblyEvent> out = new ArrayList<>();
        Iterator<Map.Entry<FragmentKey, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<FragmentKey, Entry> m = it.next();
            Entry e = m.getValue();
            if (e.deadline > now) {
                break;
            }
            it.remove();
            bytesHeld -= e.assembly.bytesHeld();
            out.add(new ReassemblyEvent.TimedOut(m.getKey(), e.assembly.firstFragmentQuote(), e.duplicates,
                    e.rejected));
        }
        return out;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when the table is empty. */
    long nextDeadline() {
        return entries.isEmpty() ? Long.MAX_VALUE : entries.values().iterator().next().deadline;
    }

    /** Datagrams in the table now. */
    int size() {
        return entries.size();
    }

    /** Data bytes held now, all datagrams together. */
    long bytesHeld() {
        return bytesHeld;
    }

    /** Datagrams that got an entry, ever. */
    long started() {
        return started;
    }

    /** Datagrams the table evicted by its own caps (the layer's releases are not counted). */
    long evictions() {
        return evictions;
    }

    private void evictOldest() {
        Iterator<Map.Entry<FragmentKey, Entry>> it = entries.entrySet().iterator();
        Entry e = it.next().getValue();
        it.remove();
        bytesHeld -= e.assembly.bytesHeld();
        evictions++;
    }

    private void remove(FragmentKey key, Entry e) {
        entries.remove(key);
        bytesHeld -= e.assembly.bytesHeld();
    }
}
