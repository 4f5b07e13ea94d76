package org.cspstack.core.link;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cspstack.core.buffer.PacketBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileWriterTest {

    /** 2023-11-14T22:13:20.123456789Z */
    private static final long T1 = 1_700_000_000_123_456_789L;
    private static final long T2 = 1_700_000_001_000_001_999L;

    @TempDir
    Path dir;

    /** A broadcast frame from 02:00:00:00:00:01 with the local experimental EtherType 0x88b5. */
    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        byte[] src = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    @Test
    void writesGlobalHeaderAndRecordHeadersThatTcpdumpReads() throws Exception {
        byte[] first = frame(60, 1);
        byte[] second = frame(98, 7);
        PacketBuffer secondInBuffer = PacketBuffer.copyOf(second, 0, second.length, 20); // start() is not 0
        Path file = dir.resolve("two.pcap");
        try (PcapFileWriter w = PcapFileWriter.open(file)) {
            byte[] padded = new byte[first.length + 10];
            System.arraycopy(first, 0, padded, 5, first.length);
            w.write(T1, padded, 5, first.length);
            w.write(T2, secondInBuffer);
        }

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length, equalTo(24 + 16 + 60 + 16 + 98));
        byte[] expectedHeader = {
            (byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, // magic, little-endian: microseconds
            2, 0, 4, 0,                                         // version 2.4
            0, 0, 0, 0,                                         // thiszone
            0, 0, 0, 0,                                         // sigfigs
            0, 0, 4, 0,                                         // snaplen 262144
            1, 0, 0, 0,                                         // linktype 1: Ethernet
        };
        assertArrayEquals(expectedHeader, Arrays.copyOfRange(bytes, 0, 24));

        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.position(24);
        assertRecord(bb, 1_700_000_000L, 123_456, first);
        assertRecord(bb, 1_700_000_001L, 1, second);
        assertThat(bb.remaining(), equalTo(0));

        List<TcpdumpFrame> listed = tcpdumpRead(file);
        assertThat(listed, hasSize(2));
        assertThat(listed.get(0).timestamp, equalTo("1700000000.123456"));
        assertArrayEquals(first, listed.get(0).bytes);
        assertThat(listed.get(1).timestamp, equalTo("1700000001.000001"));
        assertArrayEquals(second, listed.get(1).bytes);
        assertThat(listed.get(0).summary, containsString("length 60"));
        assertThat(listed.get(1).summary, containsString("0x88b5"));
    }

    @Test
    void writesRawIpPacketsWithLinkType101ThatTcpdumpReadsAsIp() throws Exception {
        // 198.18.0.1 > 198.18.0.2 UDP 1234 > 7, 4 bytes of data; header checksum 0 (tcpdump does not insist).
        byte[] packet = {
            0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, (byte) 198, 18, 0, 1, (byte) 198, 18, 0, 2,
            0x04, (byte) 0xd2, 0, 7, 0, 12, 0, 0, 'p', 'i', 'n', 'g',
        };
        Path file = dir.resolve("raw.pcap");
        try (PcapFileWriter w = PcapFileWriter.open(file, PcapFileWriter.LINKTYPE_RAW)) {
            assertThat(w.linkType(), equalTo(101));
            w.write(T1, packet, 0, packet.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bb.getInt(20), equalTo(101));
        bb.position(24);
        assertRecord(bb, 1_700_000_000L, 123_456, packet);
        List<TcpdumpFrame> listed = tcpdumpRead(file);
        assertThat(listed, hasSize(1));
        assertThat(listed.get(0).summary, containsString("198.18.0.1.1234 > 198.18.0.2.7: UDP, length 4"));
        assertArrayEquals(packet, listed.get(0).bytes);
    }

    @Test
    void cutsFramesLongerThanTheSnapLengthAndKeepsTheirLength() throws Exception {
        byte[] big = frame(PcapFileWriter.SNAP_LENGTH + 100, 3);
        Path file = dir.resolve("big.pcap");
        try (PcapFileWriter w = new PcapFileWriter(file)) {
            w.write(T1, big, 0, big.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        bb.position(24 + 8);
        assertThat(bb.getInt(), equalTo(PcapFileWriter.SNAP_LENGTH));
        assertThat(bb.getInt(), equalTo(big.length));
        assertThat(bb.remaining(), equalTo(PcapFileWriter.SNAP_LENGTH));
    }

    @Test
    void flushMakesFramesVisibleBeforeClose() throws Exception {
        Path file = dir.resolve("flush.pcap");
        try (PcapFileWriter w = PcapFileWriter.open(file)) {
            w.write(T1, frame(60, 0), 0, 60);
            w.flush();
            assertThat(Files.size(file), equalTo(24L + 16 + 60));
        }
    }

    @Test
    void closeTwiceIsHarmlessAndWriteAfterCloseFails() {
        PcapFileWriter w = PcapFileWriter.open(dir.resolve("closed.pcap"));
        w.close();
        w.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(T1, frame(60, 0), 0, 60));
        assertThat(e.getMessage(), containsString("closed.pcap"));
    }

    @Test
    void rejectsTimestampsTheFormatCannotHold() {
        try (PcapFileWriter w = PcapFileWriter.open(dir.resolve("range.pcap"))) {
            assertThrows(IllegalArgumentException.class, () -> w.write(-1, frame(60, 0), 0, 60));
        }
    }

    @Test
    void unwritablePathNamesThePathInTheError() {
        Path file = dir.resolve("no-such-dir").resolve("x.pcap");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> PcapFileWriter.open(file));
        assertThat(e.getMessage(), containsString(file.toString()));
    }

    private static void assertRecord(ByteBuffer bb, long seconds, int micros, byte[] frame) {
        assertThat(Integer.toUnsignedLong(bb.getInt()), equalTo(seconds));
        assertThat(bb.getInt(), equalTo(micros));
        assertThat(bb.getInt(), equalTo(frame.length));
        assertThat(bb.getInt(), equalTo(frame.length));
        byte[] data = new byte[frame.length];
        bb.get(data);
        assertArrayEquals(frame, data);
    }

    /** One frame as {@code tcpdump -r FILE -tt -nn -xx} lists it. */
    record TcpdumpFrame(String timestamp, String summary, byte[] bytes) {
    }

    static List<TcpdumpFrame> tcpdumpRead(Path file) throws IOException, InterruptedException {
        String tcpdump = findTcpdump();
        Process p = new ProcessBuilder(tcpdump, "-r", file.toString(), "-tt", "-nn", "-xx")
                .redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tcpdump -r " + file + " did not finish within 10 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("tcpdump -r " + file + " exited with " + p.exitValue() + ":\n" + text);
        }
        return parseTcpdump(text);
    }

    /** Parses tcpdump's {@code -xx} listing: a summary line per frame, then hex lines starting with a tab. */
    static List<TcpdumpFrame> parseTcpdump(String text) {
        List<TcpdumpFrame> frames = new ArrayList<>();
        String timestamp = null;
        String summary = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("0x") && summary != null) {
                String[] words = t.split("\\s+");
                for (int i = 1; i < words.length; i++) { // words[0] is the offset "0x0000:"
                    for (int j = 0; j + 1 < words[i].length(); j += 2) {
                        bytes.write(Integer.parseInt(words[i].substring(j, j + 2), 16));
                    }
                }
            } else if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && Character.isDigit(line.charAt(0))) {
                if (summary != null) {
                    frames.add(new TcpdumpFrame(timestamp, summary, bytes.toByteArray()));
                    bytes.reset();
                }
                int space = line.indexOf(' ');
                timestamp = space < 0 ? line : line.substring(0, space);
                summary = line;
            }
        }
        if (summary != null) {
            frames.add(new TcpdumpFrame(timestamp, summary, bytes.toByteArray()));
        }
        return frames;
    }

    /** tcpdump from the PATH or Debian's place; a missing tcpdump fails the test (it must not skip silently). */
    static String findTcpdump() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "tcpdump"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/tcpdump"));
        candidates.add(Path.of("/usr/sbin/tcpdump"));
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c.toString();
            }
        }
        return fail("tcpdump is not installed (looked on PATH, /usr/bin, /usr/sbin); this test reads the pcap file"
                + " back with it: install it (Debian: apt-get install tcpdump)");
    }
}
