package org.cspstack.core.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.Platform;
import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.PoisonException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Link} on a real Ethernet interface through libpcap (Pcap4J), the only class in cspstack that touches
 * Pcap4J.
 *
 * <p><b>Limitations.</b> Linux with libpcap 1.10 is what it is measured on. Opening needs root (or CAP_NET_RAW and
 * CAP_NET_ADMIN). The capture is inbound only, so frames that other programs on this host send through the same
 * interface are not seen either. Frames longer than {@code mtu + 14} (a VLAN-tagged full-size frame, say) are
 * dropped on sending. Received frames arrive as captured: no FCS, but with any padding the sender added to reach
 * 60 bytes, which the layers above trim by their own length fields. The peer's offloads must be off (MEASURED.md),
 * or frames arrive with unfinished checksums and as 64 KB super-frames. The receiver copies each frame once, out
 * of libpcap's ring into a buffer of the stack's {@link BufferPool} (at index 0: the frame's own headers are
 * the headroom a reply turned round in place needs); a frame longer than the pool's buffers gets a plain
 * array of its length. The transmitter releases every frame once {@code pcap_sendpacket} has copied it, or
 * when it drops it. Receiving is LP64 Linux only (it reads {@code struct pcap_pkthdr} at fixed offsets).
 *
 * <pre>
 *                 interface (for example csplab0)
 *        capture handle |  (inbound only)     ^  send handle (captures nothing)
 *                       v                     |
 *               +--------------+       +---------------+
 *               |   receiver   |       |  transmitter  |
 *               |pcap_next_ex()|       | sendPacket()  |
 *               |  + poll()    |       |               |
 *               +--------------+       +---------------+
 *                       | toStack             ^ fromStack
 *                       v                     |
 *                          EthernetLayer
 * </pre>
 *
 * <table>
 * <caption>Channels</caption>
 * <tr><th>end</th><th>carries</th><th>buffering</th><th>ownership, meaning</th></tr>
 * <tr><td>{@code toStack} (receiver writes)</td><td>{@link Batch} of {@link PacketBuffer}s: every frame the ring
 *     held, each whole, destination MAC at {@code start()}, headroom 0</td><td>must be buffered and drop when full (never block the
 *     receiver)</td><td>passes to the reader with the write</td></tr>
 * <tr><td>{@code fromStack} (transmitter reads)</td><td>{@link Batch} of {@link PacketBuffer}s: frames without FCS, at most
 *     {@code mtu + 14} bytes</td><td>any; may block the writer (back-pressure)</td><td>passes to the
 *     transmitter; shorter frames are sent padded with zeros to 60 bytes</td></tr>
 * </table>
 *
 * <p><b>Two handles.</b> A libpcap handle is not thread-safe and the receive thread uses its handle without Pcap4J's lock,
 * so frames go out through a second handle. That one captures inbound only, through a kernel filter that matches
 * nothing ({@code less 1}), into a 64 KiB ring: no frame is ever queued on it and nobody reads it, so it costs no
 * CPU and no memory beyond that ring. The capture handle is inbound only twice over: libpcap's direction setting,
 * and PACKET_IGNORE_OUTGOING on its socket so that the kernel does not copy the frames we send into its ring at
 * all (see {@code ignoreOutgoingInKernel} below).
 *
 * <p><b>Termination.</b> The receiver ends when a write to {@code toStack} meets poison or when {@link #interrupt()}
 * wakes it (through the receiver's own eventfd, which its poll() watches beside the capture socket); it then reads the capture's drop count into
 * {@link LinkCounters#captureDropped}, poisons {@code toStack} and returns normally. A capture error (the interface
 * went away) also poisons {@code toStack}, then propagates as an unchecked exception. The transmitter ends when
 * {@code fromStack} is poisoned: it poisons it back and returns. {@link #close()} releases both handles afterwards.
 */
public final class PcapLink implements Link {

    private static final Logger log = LoggerFactory.getLogger(PcapLink.class);

    /** Smallest Ethernet frame without FCS; shorter frames are padded with zeros. */
    static final int MIN_FRAME = 60;
    /** A kernel filter that no frame passes: every frame is longer than one byte. */
    static final String MATCH_NOTHING = "less 1";
    /** From linux/socket.h and linux/if_packet.h: the kernel skips this socket for outgoing frames. */
    private static final int SOL_PACKET = 263;
    private static final int PACKET_IGNORE_OUTGOING = 23;
    /** The system property Pcap4J reads for the name of the pcap library. */
    private static final String PCAP4J_LIB_NAME_PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final int SEND_HANDLE_SNAP_LENGTH = 128;
    private static final int SEND_HANDLE_BUFFER = 64 * 1024;
    /** Non-immediate capture: how long the kernel holds a part-filled block (MEASURED.md: 1 ms keeps RTT ~1.3 ms). */
    private static final int BATCH_TIMEOUT_MILLIS = 1;
    private static final long ONE_SECOND_NANOS = 1_000_000_000L;
    /** libpcap's PCAP_ERRBUF_SIZE. */
    private static final int PCAP_ERRBUF_SIZE = 256;
    /** sizeof(struct pollfd) on Linux. */
    private static final int POLLFD_SIZE = 8;
    /** poll() failing this often in a row (not EINTR, then) ends the receiver with an error. */
    private static final int MAX_FAILED_POLLS = 1000;
    /** libpcap's PCAP_ERROR_NO_SUCH_DEVICE, PCAP_ERROR_PERM_DENIED and PCAP_ERROR_IFACE_NOT_UP. */
    private static final int NO_SUCH_DEVICE = -5;
    private static final int PERM_DENIED = -8;
    private static final int IFACE_NOT_UP = -9;

    private final PcapConfig config;
    private final String name;
    private final PcapHandle capture;
    private final PcapHandle send;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean receiverMade = new AtomicBoolean();
    private final AtomicBoolean transmitterMade = new AtomicBoolean();
    private volatile boolean interrupted;
    /** Held by the receiver while it reads the capture handle; close() takes it before closing the handle. */
    private final ReentrantLock receiving = new ReentrantLock();
    /** The receiver's wake-up eventfd while it waits in poll(), or -1; guarded by itself (see {@link #wake()}). */
    private final int[] wakeFd = {-1};

    private PcapLink(PcapConfig config, PcapHandle capture, PcapHandle send) {
        this.config = config;
        this.name = "pcap:" + config.interfaceName();
        this.capture = capture;
        this.send = send;
    }

    /**
     * Opens the capture handle and the send handle on {@code config.interfaceName()}.
     *
     * @throws LinkException when the interface does not exist, is not Ethernet, capturing is not permitted, or
     *                       libpcap is missing; the message says what to do
     */
    public static PcapLink open(PcapConfig config) throws LinkException {
        Objects.requireNonNull(config, "config");
        requireInterface(config.interfaceName());
        try {
            return openHandles(config);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw nativeLoadFailure(e);
        } catch (NoClassDefFoundError e) {
            // "Could not initialize class ...NativeMappings": loading libpcap failed earlier in this JVM.
            if (String.valueOf(e.getMessage()).contains("Could not initialize class")) {
                throw nativeLoadFailure(e);
            }
            throw new LinkException("class " + e.getMessage() + " is missing from the class path; run cspstack"
                    + " through its launcher or with all of core's dependencies (Pcap4J, JNA, slf4j-api)", e);
        }
    }

    private static PcapLink openHandles(PcapConfig config) throws LinkException {
        String ifname = config.interfaceName();
        String libpcap = Pcaps.libVersion(); // the first native call: loads libpcap, or throws an Error
        PcapHandle capture = null;
        PcapHandle send = null;
        String step = "the capture handle";
        try {
            PcapHandle.Builder b = new PcapHandle.Builder(ifname)
                    .snaplen(config.snapLength())
                    .promiscuousMode(PromiscuousMode.PROMISCUOUS)
                    .bufferSize(config.bufferBytes())
                    .immediateMode(config.immediate());
            if (!config.immediate()) {
                b.timeoutMillis(BATCH_TIMEOUT_MILLIS);
            }
            capture = b.build();
            DataLinkType dlt = capture.getDlt();
            if (!DataLinkType.EN10MB.equals(dlt)) {
                throw new LinkException("interface " + ifname + " has link type " + dlt + ", not Ethernet; pass an"
                        + " Ethernet interface (a veth, a TAP or a NIC, not a TUN or loopback pseudo-device)");
            }
            step = "inbound-only capture";
            capture.setDirection(PcapDirection.IN);
            boolean kernelDropsOutgoing = ignoreOutgoingInKernel(capture, ifname);

            step = "the send handle";
            // Immediate mode gives TPACKET_V2: no block-retire timer running in the kernel for a ring nobody reads.
            send = new PcapHandle.Builder(ifname)
                    .snaplen(SEND_HANDLE_SNAP_LENGTH)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .bufferSize(SEND_HANDLE_BUFFER)
                    .immediateMode(true)
                    .build();
            send.setDirection(PcapDirection.IN);
            send.setFilter(MATCH_NOTHING, BpfCompileMode.OPTIMIZE);

            PcapLink link = new PcapLink(config, capture, send);
            log.info("{}: opened ({}, {} mode, snap length {}, capture buffer {} bytes, mtu {}, own frames dropped"
                    + " {})", link.name, libpcap,
                    config.immediate() ? "immediate" : "batched " + BATCH_TIMEOUT_MILLIS + " ms",
                    config.snapLength(), config.bufferBytes(), config.mtu(),
                    kernelDropsOutgoing ? "by the kernel" : "by libpcap in user space");
            return link;
        } catch (PcapNativeException e) {
            closeQuietly(send);
            closeQuietly(capture);
            throw translate(ifname, step, e);
        } catch (NotOpenException e) {
            closeQuietly(send);
            closeQuietly(capture);
            throw new LinkException("libpcap handle on " + ifname + " closed while setting up " + step
                    + "; this is a bug in PcapLink", e);
        } catch (LinkException | RuntimeException | Error e) {
            closeQuietly(send);
            closeQuietly(capture);
            throw e;
        }
    }

    /**
     * Fails early, without libpcap, when the interface does not exist. Linux lists a network namespace's interfaces
     * in /proc/net/dev, those without any address too ({@code java.net.NetworkInterface} misses an interface that
     * has no IPv4 address, which is exactly how the stack's veth is set up). Elsewhere libpcap decides.
     */
    /**
     * Keeps the stack's own outgoing frames out of the capture ring, in the kernel.
     *
     * <p>libpcap 1.10 implements {@code setDirection(IN)} in user space: the kernel still copies every frame the
     * stack sends into the capture ring and wakes the receiver to throw it away (measured on the lab veth: the
     * receive thread spent 45% of a core while the transmitter sent 80k frames/s, and those frames compete with
     * inbound ones for ring space). Linux 4.20+ has a socket option for exactly this, PACKET_IGNORE_OUTGOING, but
     * neither libpcap 1.10 nor Pcap4J sets it, so this sets it on the capture handle's socket (found through Pcap4J's
     * private {@code handle} field and libpcap's {@code pcap_fileno}). The BPF {@code inbound} filter would be the
     * portable route, but libpcap re-runs a new filter in user space on the first frame after it is set, cannot
     * evaluate the packet-type load there, and so drops that first frame (measured: the first ARP request went
     * missing). When the option cannot be set, the user-space direction check still keeps our frames out.
     *
     * @return whether the kernel now drops outgoing frames for this socket
     */
    private static boolean ignoreOutgoingInKernel(PcapHandle capture, String ifname) {
        try {
            Pointer pcapT = pcapPointer(capture);
            NativeLibrary libpcap = NativeLibrary.getInstance(System.getProperty(PCAP4J_LIB_NAME_PROPERTY, "pcap"));
            int fd = libpcap.getFunction("pcap_fileno").invokeInt(new Object[] {pcapT});
            int rc = NativeLibrary.getInstance("c").getFunction("setsockopt").invokeInt(
                    new Object[] {fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, new IntByReference(1), Integer.BYTES});
            if (fd >= 0 && rc == 0) {
                return true;
            }
            log.debug("pcap:{}: setsockopt(PACKET_IGNORE_OUTGOING) on fd {} returned {}", ifname, fd, rc);
        } catch (RuntimeException | LinkageError e) {
            log.debug("pcap:{}: cannot set PACKET_IGNORE_OUTGOING: {}", ifname, e.toString());
        }
        return false;
    }

    /** The {@code pcap_t *} under a Pcap4J handle (its private field {@code handle}). */
    private static Pointer pcapPointer(PcapHandle handle) {
        try {
            Field handleField = PcapHandle.class.getDeclaredField("handle");
            handleField.setAccessible(true);
            return (Pointer) handleField.get(handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Pcap4J's PcapHandle has no field 'handle'; PcapLink needs Pcap4J 1.8.2", e);
        }
    }

    /**
     * The two libpcap calls of the receive loop, bound by JNA direct mapping (a plain native call, no
     * reflection, no callback), so that a frame costs one native call and one copy.
     */
    static final class DirectCapture {
        /** libpcap's PCAP_ERROR_BREAK: pcap_breakloop() was called. */
        static final int PCAP_ERROR_BREAK = -2;
        /** Offset of {@code caplen} in {@code struct pcap_pkthdr} on LP64 Linux (after a 16-byte timeval). */
        static final int PKTHDR_CAPLEN = 16;

        static {
            Native.register(DirectCapture.class,
                    NativeLibrary.getInstance(System.getProperty(PCAP4J_LIB_NAME_PROPERTY, "pcap")));
        }

        private DirectCapture() {
        }

        static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

        static native int pcap_setnonblock(Pointer pcap, int nonblock, Pointer errbuf);

        static native int pcap_get_selectable_fd(Pointer pcap);

        static native String pcap_geterr(Pointer pcap);
    }

    /** The C library calls of the receiver's wait: poll() on the capture socket and an eventfd to wake it. */
    static final class Libc {
        static final short POLLIN = 0x1;
        /** EFD_NONBLOCK | EFD_CLOEXEC from sys/eventfd.h. */
        static final int EFD_FLAGS = 0x800 | 0x80000;

        static {
            Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private Libc() {
        }

        static native int poll(Pointer fds, int nfds, int timeoutMillis);

        static native int eventfd(int initval, int flags);

        static native long write(int fd, Pointer buf, long count);

        static native int close(int fd);
    }

    private static void requireInterface(String ifname) throws LinkException {
        List<String> here = interfacesHere();
        if (here != null && !here.contains(ifname)) {
            throw new LinkException(notFound(ifname, String.join(", ", here)));
        }
    }

    /** The interface names in this process's network namespace, sorted, or null when /proc/net/dev is unreadable. */
    static List<String> interfacesHere() {
        Path dev = Path.of("/proc/net/dev");
        if (!Files.isReadable(dev)) {
            return null;
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(dev, StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    names.add(line.substring(0, colon).strip());
                }
            }
            Collections.sort(names);
            return names;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static String notFound(String ifname, String here) {
        return "interface " + ifname + " not found; run scripts/lab.sh up or pass --nic IF (interfaces here: "
                + here + ")";
    }

    private static LinkException nativeLoadFailure(Throwable e) {
        // A later attempt sees "Could not initialize class"; JDK 17 chains the first failure as its cause.
        for (Throwable t = e; t != null; t = t.getCause()) {
            String detail = String.valueOf(t.getMessage());
            if (detail.contains("jnidispatch")) {
                return new LinkException("JNA could not load its native part (" + firstLine(detail) + "); set"
                        + " -Djna.tmpdir to a writable directory that allows executables", e);
            }
        }
        return new LinkException("libpcap was not found; install it (Debian: apt-get install libpcap0.8)", e);
    }

    private static LinkException translate(String ifname, String step, PcapNativeException e) {
        String msg = String.valueOf(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        Integer rc = e.getReturnCode();
        if ((rc != null && rc == PERM_DENIED) || lower.contains("operation not permitted")
                || lower.contains("permission")) {
            return new LinkException("capturing on " + ifname + " needs root or CAP_NET_RAW and CAP_NET_ADMIN; run as"
                    + " root (libpcap: " + msg + ")", e);
        }
        if ((rc != null && rc == NO_SUCH_DEVICE) || lower.contains("no such device")) {
            List<String> here = interfacesHere();
            return new LinkException(notFound(ifname, here == null ? "see ip link" : String.join(", ", here))
                    + " (libpcap: " + msg + ")", e);
        }
        if ((rc != null && rc == IFACE_NOT_UP) || lower.contains("network is down")) {
            return new LinkException("interface " + ifname + " is down; run ip link set " + ifname + " up (libpcap: "
                    + msg + ")", e);
        }
        return new LinkException("libpcap could not set up " + step + " on " + ifname + ": " + msg
                + "; check that the interface exists, is up and is Ethernet", e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(PcapHandle h) {
        if (h != null && h.isOpen()) {
            try {
                h.close();
            } catch (RuntimeException e) {
                log.warn("closing a libpcap handle failed: {}", e.toString());
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return config.mtu();
    }

    public PcapConfig config() {
        return config;
    }

    @Override
    public CSProcess receiver(ChannelOutput<Batch<PacketBuffer>> toStack, LinkCounters counters, BufferPool buffers) {
        Objects.requireNonNull(toStack, "toStack");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(buffers, "buffers");
        if (!receiverMade.compareAndSet(false, true)) {
            throw new IllegalStateException(name + ": receiver() was already called; a link has one receiver");
        }
        return new Receiver(toStack, counters, buffers);
    }

    @Override
    public CSProcess transmitter(AltingChannelInput<Batch<PacketBuffer>> fromStack, LinkCounters counters) {
        Objects.requireNonNull(fromStack, "fromStack");
        Objects.requireNonNull(counters, "counters");
        if (!transmitterMade.compareAndSet(false, true)) {
            throw new IllegalStateException(name + ": transmitter() was already called; a link has one transmitter");
        }
        return new Transmitter(fromStack, counters);
    }

    /**
     * Breaks the receiver out of {@code pcap_next_ex}. From any thread, any number of times; before the receiver runs
     * it makes the receiver end at once.
     */
    @Override
    public void interrupt() {
        interrupted = true;
        if (!closed.get()) {
            breakCapture();
        }
    }

    private void breakCapture() {
        wake();
        try {
            capture.breakLoop();
        } catch (NotOpenException e) {
            // closed meanwhile: no loop left to wake
        }
    }

    /** Wakes the receiver from its poll() through its eventfd; under the lock, so the fd cannot be closed meanwhile. */
    private void wake() {
        synchronized (wakeFd) {
            if (wakeFd[0] >= 0) {
                Memory one = new Memory(Long.BYTES);
                one.setLong(0, 1L);
                Libc.write(wakeFd[0], one, Long.BYTES);
            }
        }
    }

    /**
     * Closes both handles; later calls do nothing, and it never throws. It interrupts the receiver first, and waits
     * for a receiver that is still inside the capture loop to leave it (Pcap4J's handle lock).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        interrupted = true;
        breakCapture();
        // A receiver inside pcap_next_ex uses the capture handle outside Pcap4J's lock: wait for it to leave.
        receiving.lock();
        try {
            closeQuietly(capture);
        } finally {
            receiving.unlock();
        }
        closeQuietly(send);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The receive process: {@code pcap_next_ex} called directly (JNA direct mapping, {@link DirectCapture}) in
     * non-blocking mode, each frame copied once into an array of its own length; every frame the ring holds goes
     * into one {@link Batch} written to {@code toStack}, then the receiver waits in {@code poll()} on the capture
     * socket and an eventfd that {@link #interrupt()} and {@link #close()} signal.
     *
     * <p>Why batches: one channel communication, and so at most one wake-up of the Ethernet layer, per burst of
     * frames instead of per frame. An idle link gives batches of one (a ping costs one more system call, the
     * empty non-blocking read that ends the batch); a busy one gives up to {@link Batch#LIMIT}.
     *
     * <p>Why not Pcap4J's {@code loop()} with a raw listener: every frame then costs a JNA callback from native
     * code, a {@code Pointer}, a {@code Timestamp}, a boxed length and a runnable besides the frame's array, and
     * the link-rx thread was the busiest of the stack in a bulk TCP receive (JFR). Pcap4J's own
     * {@code getNextRawPacket()} is slow for a different reason (it reads the header through a JNA
     * {@code Structure}); here the header's two lengths are read at their offsets instead.
     */
    private final class Receiver implements CSProcess {
        private final Outbox<PacketBuffer> toStack;
        private final LinkCounters counters;
        private final BufferPool buffers;
        private long statsDueNanos;

        Receiver(ChannelOutput<Batch<PacketBuffer>> toStack, LinkCounters counters, BufferPool buffers) {
            this.toStack = new Outbox<>(toStack);
            this.counters = counters;
            this.buffers = buffers;
        }

        @Override
        public void run() {
            RuntimeException failure = null;
            statsDueNanos = System.nanoTime() + ONE_SECOND_NANOS;
            receiving.lock();
            try {
                if (!interrupted && !closed.get()) {
                    failure = receiveLoop(pcapPointer(capture));
                }
            } catch (PoisonException e) {
                // the stack is shutting down
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                closeWakeFd();
                receiving.unlock();
                toStack.poison(1);
                throw e;
            }
            try {
                closeWakeFd();
                readDrops();
            } finally {
                receiving.unlock();
            }
            toStack.poison(1);
            if (failure != null) {
                throw failure;
            }
        }

        private void closeWakeFd() {
            synchronized (wakeFd) {
                if (wakeFd[0] >= 0) {
                    Libc.close(wakeFd[0]);
                    wakeFd[0] = -1;
                }
            }
        }

        /** Reads frames until interrupt(), close() or an error; returns the error (null after a break). */
        private RuntimeException receiveLoop(Pointer pcapT) {
            Memory errbuf = new Memory(PCAP_ERRBUF_SIZE);
            int captureFd = DirectCapture.pcap_get_selectable_fd(pcapT);
            if (captureFd < 0 || DirectCapture.pcap_setnonblock(pcapT, 1, errbuf) != 0) {
                return new IllegalStateException(name + ": cannot make the capture non-blocking: "
                        + DirectCapture.pcap_geterr(pcapT));
            }
            int efd = Libc.eventfd(0, Libc.EFD_FLAGS);
            if (efd < 0) {
                return new IllegalStateException(name + ": eventfd() failed; cannot wait for frames");
            }
            synchronized (wakeFd) {
                wakeFd[0] = efd;
            }
            if (interrupted) {
                return null; // interrupt() came before the eventfd existed
            }
            Memory fds = new Memory(2L * POLLFD_SIZE); // struct pollfd {int fd; short events; short revents;}[2]
            fds.setInt(0, captureFd);
            fds.setShort(4, Libc.POLLIN);
            fds.setInt(POLLFD_SIZE, efd);
            fds.setShort(POLLFD_SIZE + 4, Libc.POLLIN);
            Memory out = new Memory(2L * Long.BYTES); // pcap_next_ex's two out-parameters
            Pointer headerOut = out;
            Pointer dataOut = out.share(Long.BYTES);
            Pointer header = new Pointer(0);
            Pointer data = new Pointer(0);
            int failedPolls = 0;
            while (true) {
                int rc = DirectCapture.pcap_next_ex(pcapT, headerOut, dataOut);
                if (rc == 1) {
                    toStack.add(onFrame(out, header, data));
                } else if (rc == 0) {
                    // the ring is empty: hand over what was read, then sleep until a frame or a wake-up
                    toStack.flush();
                    if (interrupted) {
                        return null;
                    }
                    fds.setShort(6, (short) 0);
                    fds.setShort(POLLFD_SIZE + 6, (short) 0);
                    if (Libc.poll(fds, 2, -1) < 0) {
                        if (++failedPolls > MAX_FAILED_POLLS) {
                            return new IllegalStateException(name + ": poll() on the capture failed "
                                    + failedPolls + " times in a row");
                        }
                        continue; // EINTR
                    }
                    failedPolls = 0;
                    if ((fds.getShort(POLLFD_SIZE + 6) & Libc.POLLIN) != 0) {
                        return null; // woken by interrupt() or close()
                    }
                } else if (rc == DirectCapture.PCAP_ERROR_BREAK) {
                    return null; // breakLoop(): interrupt() or close()
                } else {
                    return new IllegalStateException(name + ": capture failed: "
                            + DirectCapture.pcap_geterr(pcapT) + "; check that the interface still exists and is up");
                }
                if (interrupted) {
                    return null;
                }
            }
        }

        /** One frame from pcap_next_ex's out-parameters (its own method, so that the JIT compiles it early). */
        private PacketBuffer onFrame(Memory out, Pointer header, Pointer data) {
            Pointer.nativeValue(header, out.getLong(0));
            Pointer.nativeValue(data, out.getLong(Long.BYTES));
            int caplen = header.getInt(DirectCapture.PKTHDR_CAPLEN);
            PacketBuffer frame = buffers.take(0, caplen);
            data.read(0, frame.array(), 0, caplen);
            counters.framesReceived.increment();
            counters.bytesReceived.add(caplen);
            long now = System.nanoTime();
            if (now - statsDueNanos >= 0) {
                statsDueNanos = now + ONE_SECOND_NANOS;
                readDrops();
            }
            return frame;
        }

        /** Best effort: the kernel's count of frames its ring dropped before we saw them. */
        private void readDrops() {
            try {
                PcapStat stat = capture.getStats();
                counters.captureDropped.set(stat.getNumPacketsDropped());
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                log.debug("{}: cannot read capture statistics: {}", name, e.toString());
            }
        }
    }

    /** The transmit process: reads frames and puts them on the wire through the send handle. */
    private final class Transmitter implements CSProcess {
        private final AltingChannelInput<Batch<PacketBuffer>> fromStack;
        private final LinkCounters counters;
        private final int maxFrame = config.maxFrameLength();
        /** For frames that do not start at index 0 or need padding: Pcap4J 1.8.2 sends from index 0 only. */
        private final byte[] scratch = new byte[Math.max(MIN_FRAME, config.maxFrameLength())];
        private long nextLogNanos;
        private long unreportedErrors;

        Transmitter(AltingChannelInput<Batch<PacketBuffer>> fromStack, LinkCounters counters) {
            this.fromStack = fromStack;
            this.counters = counters;
        }

        @Override
        public void run() {
            nextLogNanos = System.nanoTime();
            try {
                while (true) {
                    Batch<PacketBuffer> batch = fromStack.read();
                    for (PacketBuffer frame : batch) {
                        transmit(frame);
                        frame.release(); // sent (pcap_sendpacket copied it) or dropped: this was its last owner
                    }
                    batch.recycle(); // handled: the writer reuses it
                }
            } catch (PoisonException e) {
                fromStack.poison(1);
            } catch (RuntimeException | Error e) {
                fromStack.poison(1);
                throw e;
            }
        }

        private void transmit(PacketBuffer b) {
            int len = b.length();
            if (len > maxFrame) {
                counters.oversizeDropped.increment();
                return;
            }
            byte[] bytes;
            int wireLength;
            if (b.start() == 0 && len >= MIN_FRAME) {
                bytes = b.array();
                wireLength = len;
            } else {
                System.arraycopy(b.array(), b.start(), scratch, 0, len);
                if (len < MIN_FRAME) {
                    Arrays.fill(scratch, len, MIN_FRAME, (byte) 0);
                    wireLength = MIN_FRAME;
                } else {
                    wireLength = len;
                }
                bytes = scratch;
            }
            try {
                send.sendPacket(bytes, wireLength);
                counters.framesSent.increment();
                counters.bytesSent.add(wireLength);
            } catch (PcapNativeException e) {
                counters.sendErrors.increment();
                reportSendError(e);
            } catch (NotOpenException e) {
                throw new IllegalStateException(name + ": the send handle was closed while the transmitter ran;"
                        + " close the link only after its processes have ended", e);
            }
        }

        /** At most one log line a second, saying how many errors it stands for. */
        private void reportSendError(PcapNativeException e) {
            unreportedErrors++;
            long now = System.nanoTime();
            if (now - nextLogNanos >= 0) {
                log.warn("{}: {} frame(s) could not be sent; latest: {}", name, unreportedErrors, e.getMessage());
                unreportedErrors = 0;
                nextLogNanos = now + ONE_SECOND_NANOS;
            }
        }
    }
}
