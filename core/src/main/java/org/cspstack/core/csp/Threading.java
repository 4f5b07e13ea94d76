package org.cspstack.core.csp;

import java.lang.reflect.Method;

/**
 * What each process runs on. Platform threads work on every JDK; virtual threads need JDK 21 or later and
 * are reached by reflection, so that the code still compiles for release 17.
 *
 * <p>The defaults follow what was measured on the 2-core reference machine:
 * <ul>
 *   <li>the long-lived layer processes run on <b>platform</b> threads ({@link #forLayers()}): the lab stack on
 *       JDK 25 answered {@code ping -f -c 20000} in 2.8 s (avg RTT 0.122 ms) on platform threads against 4.6 s
 *       (0.211 ms) on virtual threads, and paced pings alike (0.435 against 0.452 ms);</li>
 *   <li>short-lived processes started while the network runs (one per datagram being reassembled) run on
 *       <b>virtual</b> threads where the JDK has them ({@link #forDynamic()}): creating, running and joining
 *       10,000 trivial processes takes 5.7-6.3 s and ~320 MB on platform threads, 0.12-0.34 s and 53 MB on
 *       virtual threads (MEASURED.md);</li>
 *   <li>long-lived ones started while the network runs (a TCP connection and its service worker) run like the
 *       layers ({@link ProcessRunner#spawn(String, String, org.jcsp.lang.CSProcess, boolean)}): a bulk transfer
 *       with them on virtual threads ran 6-12 % slower.</li>
 * </ul>
 */
public enum Threading {
    PLATFORM,
    VIRTUAL;

    private static final Method OF_VIRTUAL;
    private static final Method BUILDER_NAME;
    private static final Method BUILDER_UNSTARTED;

    static {
        Method ofVirtual = null;
        Method name = null;
        Method unstarted = null;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            name = builder.getMethod("name", String.class);
            unstarted = builder.getMethod("unstarted", Runnable.class);
        } catch (ReflectiveOperationException e) {
            ofVirtual = null;
        }
        OF_VIRTUAL = ofVirtual;
        BUILDER_NAME = name;
        BUILDER_UNSTARTED = unstarted;
    }

    /** True when this JDK has virtual threads (21 or later). */
    public static boolean virtualAvailable() {
        return OF_VIRTUAL != null;
    }

    /** What the long-lived layer processes run on by default: platform threads (faster per packet). */
    public static Threading forLayers() {
        return PLATFORM;
    }

    /** What short-lived dynamic processes run on by default: virtual threads when the JDK has them (cheap to start). */
    public static Threading forDynamic() {
        return virtualAvailable() ? VIRTUAL : PLATFORM;
    }

    /** Parses {@code platform} or {@code virtual}; refuses virtual on a JDK without it, saying what to do. */
    public static Threading parse(String s) {
        Threading t;
        try {
            t = valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("threading '" + s + "' is not one of: platform, virtual");
        }
        if (t == VIRTUAL && !virtualAvailable()) {
            throw new IllegalArgumentException("virtual threads need JDK 21 or later; this is JDK "
                    + Runtime.version().feature() + " (use --threads platform, or run on a newer JDK)");
        }
        return t;
    }

    /** A new, unstarted thread of this kind. Platform threads are daemons: the runner joins them itself. */
    public Thread newThread(String name, Runnable body) {
        if (this == VIRTUAL) {
            if (OF_VIRTUAL == null) {
                throw new IllegalStateException("virtual threads need JDK 21 or later");
            }
            try {
                Object builder = OF_VIRTUAL.invoke(null);
                builder = BUILDER_NAME.invoke(builder, name);
                return (Thread) BUILDER_UNSTARTED.invoke(builder, body);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create a virtual thread", e);
            }
        }
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
