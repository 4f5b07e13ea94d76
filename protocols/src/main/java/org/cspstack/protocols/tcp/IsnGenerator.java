package org.cspstack.protocols.tcp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Initial sequence numbers as RFC 6528 §3 recommends: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), where M is a clock ticking every 4 µs (taken from {@code nowNanos}) and F is the first 32 bits
 * of SHA-256 over a random 128-bit secret made at construction followed by the 4-tuple. Successive
 * connections between the same endpoints get increasing ISNs (the clock), while an off-path attacker cannot
 * guess the ISN of another 4-tuple (the secret).
 *
 * <p>Not thread-safe: one instance per process (it keeps one {@link MessageDigest}).
 */
public final class IsnGenerator {
    /** The period of M: 4 µs, RFC 9293 §3.4.1. */
    public static final long TICK_NANOS = 4_000;

    private final byte[] secret;
    private final MessageDigest sha256;
    private final byte[] tuple = new byte[12];

    /** A generator with a fresh random 128-bit secret. */
    public IsnGenerator() {
        this(randomSecret());
    }

    /** A generator with the given secret (for tests: reproducible ISNs). */
    IsnGenerator(byte[] secret) {
        this.secret = secret.clone();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE must have", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] s = new byte[16];
        new SecureRandom().nextBytes(s);
        return s;
    }

    /** The ISN for a new connection from {@code local} to {@code remote} at {@code nowNanos}. */
    public long next(Endpoint local, Endpoint remote, long nowNanos) {
        local.address().write(tuple, 0);
        remote.address().write(tuple, 4);
        tuple[8] = (byte) (local.port() >>> 8);
        tuple[9] = (byte) local.port();
        tuple[10] = (byte) (remote.port() >>> 8);
        tuple[11] = (byte) remote.port();
        sha256.reset();
        sha256.update(secret);
        sha256.update(tuple);
        byte[] h = sha256.digest();
        long f = (h[0] & 0xffL) << 24 | (h[1] & 0xffL) << 16 | (h[2] & 0xffL) << 8 | (h[3] & 0xffL);
        long m = Math.floorDiv(nowNanos, TICK_NANOS);
        return Seq.add(m, f);
    }
}
