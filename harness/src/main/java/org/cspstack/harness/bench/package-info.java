/**
 * Microbenchmarks. {@link org.cspstack.harness.bench.CommsTime} and {@link org.cspstack.harness.bench.HotPaths}
 * are JMH benchmarks: JMH's annotation processor lists them in {@code META-INF/BenchmarkList} inside
 * cspstack.jar, and {@code cspstack experiment comms} / {@code cspstack experiment hotpaths [--gc]} run them
 * through JMH's Runner (or, by hand: {@code java -cp harness/target/cspstack.jar org.openjdk.jmh.Main HotPaths
 * -prof gc}). {@link org.cspstack.harness.bench.SpawnCost} is a plain main program.
 */
package org.cspstack.harness.bench;
