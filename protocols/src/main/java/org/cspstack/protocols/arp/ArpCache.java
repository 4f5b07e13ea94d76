package org.cspstack.protocols.arp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.stack.StackConfig.ArpSettings;

/**
 * The ARP translation table and the packets waiting for a resolution: the functional core of
 * {@link ArpLayer}. Plain Java, single-threaded, no channels and no clock: every call that depends on time
 * takes {@code now}, a monotonic time in nanoseconds ({@link System#nanoTime()} in the layer, a plain number
 * in tests). Calls must not pass a {@code now} earlier than a previous one. Times are compared by
 * subtraction, so the wrap-around of {@code nanoTime} does no harm.
 *
 * <p><b>Resolved entries</b> map an IPv4 address to a MAC address and remember when they were learned. An
 * entry expires {@code entryLifetime} after it was learned (or last refreshed by {@link #learn}); at most
 * {@code maxEntries} are kept, the least recently learned is evicted beyond that.
 *
 * <p><b>Pending addresses</b> are those being resolved: each holds a FIFO of packets waiting for the answer
 * (at most {@code maxPendingPerAddress} per address and {@code maxPendingTotal} in all; further packets are
 * refused, not queued), the number of requests sent for it and the time of its next retry. Since every
 * pending address holds at least one packet, there are never more than {@code maxPendingTotal} of them.
 *
 * <pre>
 *   enqueue (first) --SEND_REQUEST--> pending(requests 1) --poll: due--> request again (requests + 1)
 *        |                              |                  --poll: due, requests = maxRequests--> gave up
 *        +-- lookup hit: send at once   +-- learn: packets released, entry resolved
 * </pre>
 *
 * <p>RFC 826's merge step ("if the sender is already in my table, update it") is {@link #isKnown} followed
 * by {@link #learn}; adding a sender that asked for us is {@link #learn} alone.
 *
 * @param <T> the type of a waiting packet (a {@link RoutedPacket} in the layer, anything in tests)
 */
public final class ArpCache<T> {

    /** What {@link #enqueue} did with a packet. */
    public enum Outcome {
        /** The first packet for the address: it is queued and the caller sends an ARP request now. */
        SEND_REQUEST,
        /** Queued behind earlier packets; a request is already under way. */
        QUEUED,
        /** Not queued: the address's queue or the queue of all addresses is full. The caller drops it. */
        REFUSED_FULL
    }

    /**
     * What {@link #poll} found due.
     *
     * @param resend  addresses to send another request for now, oldest deadline first
     * @param failed  addresses given up on after {@code maxRequests} unanswered requests
     * @param dropped the packets that were waiting for the failed addresses, in queue order
     * @param <T>     the packet type
     */
    public record Expiry<T>(List<Ipv4Address> resend, List<Ipv4Address> failed, List<T> dropped) {
        /** True when nothing was due. */
        public boolean isEmpty() {
            return resend.isEmpty() && failed.isEmpty();
        }
    }

    private record Entry(MacAddress mac, long learnedAt) {
    }

    private static final class Pending<T> {
        final ArrayDeque<T> packets = new ArrayDeque<>();
        int requests;
        long nextRetry;
    }

    private final long entryLifetime;
    private final long retryInterval;
    private final int maxRequests;
    private final int maxEntries;
    private final int maxPendingPerAddress;
    private final int maxPendingTotal;

    /** Resolved entries in learning order: the head is the least recently learned (and the first to expire). */
    private final LinkedHashMap<Ipv4Address, Entry> entries = new LinkedHashMap<>();
    /** Pending addresses in deadline order: the head has the earliest retry (see {@link #schedule}). */
    private final LinkedHashMap<Ipv4Address, Pending<T>> pending = new LinkedHashMap<>();
    private int pendingPackets;

    /** A cache with the lifetimes and limits of {@code settings}. */
    public ArpCache(ArpSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.entryLifetime = settings.entryLifetime().toNanos();
        this.retryInterval = settings.retryInterval().toNanos();
        this.maxRequests = settings.maxRequests();
        this.maxEntries = settings.maxEntries();
        this.maxPendingPerAddress = settings.maxPendingPerAddress();
        this.maxPendingTotal = settings.maxPendingTotal();
    }

    /**
     * The MAC address of {@code ip}, or null when it is not resolved or its entry has expired (an expired
     * entry is removed).
     */
    public MacAddress lookup(Ipv4Address ip, long now) {
        Entry e = entries.get(ip);
        if (e == null) {
            return null;
        }
        if (expired(e, now)) {
            entries.remove(ip);
            return null;
        }
        return e.mac();
    }

    /**
     * True when {@code ip} is "already in the translation table" in RFC 826's sense: resolved (and not
     * expired) or being resolved. The caller then merges the sender's MAC with {@link #learn}.
     */
    public boolean isKnown(Ipv4Address ip, long now) {
        return pending.containsKey(ip) || lookup(ip, now) != null;
    }

    /** True while {@code ip} is being resolved. */
    public boolean isPending(Ipv4Address ip) {
        return pending.containsKey(ip);
    }

    /**
     * Queues {@code packet} for an address that {@link #lookup} did not resolve.
     *
     * @return {@link Outcome#SEND_REQUEST} for the first packet of an address (its retry deadline is then
     *         {@code now + retryInterval}), {@link Outcome#QUEUED} for later ones, {@link Outcome#REFUSED_FULL}
     *         when a bound is reached (nothing is recorded then)
     */
    public Outcome enqueue(Ipv4Address ip, T packet, long now) {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(packet, "packet");
        if (pendingPackets >= maxPendingTotal) {
            return Outcome.REFUSED_FULL;
        }
        Pending<T> p = pending.get(ip);
        if (p != null) {
            if (p.packets.size() >= maxPendingPerAddress) {
                return Outcome.REFUSED_FULL;
            }
            p.packets.addLast(packet);
            pendingPackets++;
            return Outcome.QUEUED;
        }
        p = new Pending<>();
        p.packets.addLast(packet);
        p.requests = 1;
        pendingPackets++;
        schedule(ip, p, now);
        return Outcome.SEND_REQUEST;
    }

    /**
     * Adds or refreshes the entry {@code ip -> mac} learned at {@code now} (evicting the least recently
     * learned entry beyond {@code maxEntries}) and ends a pending resolution of {@code ip}.
     *
     * @return the packets that were waiting for {@code ip}, in the order they were queued (empty if none)
     */
    public List<T> learn(Ipv4Address ip, MacAddress mac, long now) {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        dropExpiredHead(now);
        entries.remove(ip); // re-inserted at the tail: learning order
        entries.put(ip, new Entry(mac, now));
        Iterator<Entry> oldest = entries.values().iterator();
        while (entries.size() > maxEntries) {
            oldest.next();
            oldest.remove();
        }
        Pending<T> p = pending.remove(ip);
        if (p == null) {
            return List.of();
        }
        pendingPackets -= p.packets.size();
        return new ArrayList<>(p.packets);
    }

    /**
     * Handles every pending address whose retry deadline is at or before {@code now}: one that has had fewer
     * than {@code maxRequests} requests gets another (its count goes up, its next retry is
     * {@code now + retryInterval}); one that has had them all is given up and its packets returned.
     */
    public Expiry<T> poll(long now) {
        List<Ipv4Address> resend = new ArrayList<>();
        List<Ipv4Address> failed = new ArrayList<>();
        List<T> dropped = new ArrayList<>();
        List<Pending<T>> retried = new ArrayList<>();
        Iterator<Map.Entry<Ipv4Address, Pending<T>>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Ipv4Address, Pending<T>> e = it.next();
            Pending<T> p = e.getValue();
            if (p.nextRetry - now > 0) {
                break; // deadline order: no later address is due either
            }
            it.remove();
            if (p.requests >= maxRequests) {
                failed.add(e.getKey());
                dropped.addAll(p.packets);
                pendingPackets -= p.packets.size();
            } else {
                p.requests++;
                resend.add(e.getKey());
                retried.add(p);
            }
        }
        for (int i = 0; i < resend.size(); i++) {
            schedule(resend.get(i), retried.get(i), now);
        }
        return new Expiry<>(resend, failed, dropped);
    }

    /** The earliest retry deadline of all pending addresses, or {@link Long#MAX_VALUE} when none is pending. */
    public long nextDeadline() {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return pending.values().iterator().next().nextRetry;
    }

    /** True while some address is being resolved (use this, not the sentinel, to arm a timer). */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Resolved entries held, including expired ones not yet removed. */
    public int entryCount() {
        return entries.size();
    }

    /** Addresses being resolved. */
    public int pendingAddressCount() {
        return pending.size();
    }

    /** Packets waiting for all addresses together. */
    public int pendingPacketCount() {
        return pendingPackets;
    }

    /** Requests sent so far for a pending address, or 0 when it is not pending. */
    public int requestsSent(Ipv4Address ip) {
        Pending<T> p = pending.get(ip);
        return p == null ? 0 : p.requests;
    }

    /**
     * Appends {@code ip} with its next retry at {@code now + retryInterval}. All deadlines are {@code now}
     * plus the same interval and {@code now} never goes back, so appending keeps the map in deadline order.
     */
    private void schedule(Ipv4Address ip, Pending<T> p, long now) {
        p.nextRetry = now + retryInterval;
        pending.put(ip, p);
    }

    private boolean expired(Entry e, long now) {
        return now - e.learnedAt() >= entryLifetime;
    }

    /** Removes expired entries from the head (learning order, so they are a prefix). */
    private void dropExpiredHead(long now) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext() && expired(it.next(), now)) {
            it.remove();
        }
    }
}
