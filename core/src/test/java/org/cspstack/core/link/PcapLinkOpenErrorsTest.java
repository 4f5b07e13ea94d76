package org.cspstack.core.link;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@link PcapLink#open} says when it cannot open; none of this needs root or a lab namespace. */
class PcapLinkOpenErrorsTest {

    @Test
    void missingInterfaceIsNamedWithWhatToDoAndTheInterfacesThatExist() {
        LinkException e = assertThrows(LinkException.class, () -> PcapLink.open(PcapConfig.defaults("cspnosuch0")));
        assertThat(e.getMessage(), containsString("interface cspnosuch0 not found; run scripts/lab.sh up or pass"
                + " --nic IF (interfaces here: "));
        assertThat(e.getMessage(), containsString("lo"));
    }

    /**
     * Pcap4J loads the library named by {@code org.pcap4j.core.pcapLibName}; naming one that does not exist is a
     * machine without libpcap. A loading failure is permanent for a JVM, so this runs in a JVM of its own, and
     * opens twice there: the first attempt meets the loading error, the second the class that failed to
     * initialise.
     */
    @Test
    void missingLibpcapGivesAReadableMessageInsteadOfACrash() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dorg.pcap4j.core.pcapLibName=cspstack-no-such-libpcap",
                "-cp", System.getProperty("java.class.path"), OpenTwice.class.getName(), "lo")
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the probe JVM did not finish within 30 s; it printed:\n" + out);
        }
        assertThat(out, p.exitValue(), equalTo(0));
        String expected = "LinkException: libpcap was not found; install it (Debian: apt-get install libpcap0.8)";
        assertThat(out, containsString("1 " + expected));
        assertThat(out, containsString("2 " + expected));
        assertThat(out, not(containsString("\tat "))); // no stack trace reached the user
    }

    @Test
    void defaultsFavourLatency() {
        PcapConfig c = PcapConfig.defaults("csplab0");
        assertThat(c.interfaceName(), equalTo("csplab0"));
        assertThat(c.immediate(), equalTo(true));
        assertThat(c.snapLength(), equalTo(65_535));
        assertThat(c.bufferBytes(), equalTo(32 * 1024 * 1024));
        assertThat(c.mtu(), equalTo(1500));
        assertThat(c.maxFrameLength(), equalTo(1514));
        assertThat(c.withImmediate(false).immediate(), equalTo(false));
    }

    @Test
    void configRejectsValuesThatWouldCutOrLoseFrames() {
        IllegalArgumentException snap = assertThrows(IllegalArgumentException.class,
                () -> new PcapConfig("csplab0", true, 1000, 1 << 20, 1500));
        assertThat(snap.getMessage(), containsString("snap length 1000"));
        assertThrows(IllegalArgumentException.class, () -> new PcapConfig(" ", true, 65_535, 1 << 20, 1500));
        assertThrows(IllegalArgumentException.class, () -> new PcapConfig("csplab0", true, 65_535, 1024, 1500));
        assertThrows(IllegalArgumentException.class, () -> new PcapConfig("csplab0", true, 65_535, 1 << 20, 20));
    }

    /** Run in a separate JVM by the test above: opens a link twice and prints what each attempt threw. */
    public static final class OpenTwice {
        public static void main(String[] args) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                try (PcapLink link = PcapLink.open(PcapConfig.defaults(args[0]))) {
                    System.out.println(attempt + " opened " + link.name());
                } catch (LinkException e) {
                    System.out.println(attempt + " LinkException: " + e.getMessage());
                } catch (Throwable t) {
                    System.out.println(attempt + " escaped: " + t);
                    System.exit(2);
                }
            }
        }
    }
}
