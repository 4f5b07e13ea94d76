package org.cspstack.harness.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cspstack.core.csp.Threading;

/**
 * Where an experiment writes: a folder with {@code environment.txt} (JDK, CPU, kernel, JCSP version,
 * threading), raw CSV files and PNG plots. One instance per experiment run.
 */
public final class ExperimentOutput {
    private final Path dir;
    private final Map<String, String> environment = new LinkedHashMap<>();

    public ExperimentOutput(Path dir, Threading threading) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        environment.put("date", java.time.ZonedDateTime.now().toString());
        environment.put("jdk", Runtime.version().toString() + " (" + System.getProperty("java.vm.name") + ")");
        environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("cpu", cpuModel());
        environment.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        environment.put("memory", (ManagementFactory.getOperatingSystemMXBean() instanceof
                com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() >> 20 : -1) + " MiB");
        environment.put("jcsp", "org.codehaus.jcsp:jcsp:1.1-rc5");
        environment.put("threading", "layers and long-lived dynamic processes (TCP connections) " + threading
                + ", short-lived dynamic processes (reassembly) " + Threading.forDynamic());
    }

    public Path dir() {
        return dir;
    }

    /** Adds a line to the environment record (a setting of this run). */
    public ExperimentOutput note(String key, String value) {
        environment.put(key, value);
        return this;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Writes {@code environment.txt} and returns a one-line summary of it. */
    public String writeEnvironment() {
        StringBuilder sb = new StringBuilder();
        environment.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        write("environment.txt", sb.toString());
        return "JDK " + Runtime.version() + ", " + environment.get("cpus") + " CPUs (" + environment.get("cpu")
                + "), " + environment.get("kernel") + ", " + environment.get("threading");
    }

    /** Writes a CSV file: a header and rows, values formatted with {@link Locale#ROOT}. */
    public Path csv(String name, List<String> header, List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object o : row) {
                cells.add(o instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(o));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return write(name, sb.toString());
    }

    public Path write(String name, String text) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
