package org.cspstack.core.csp;

import org.jcsp.lang.CSProcess;

/**
 * One process of the network: its name, the process itself, its counters (or null), whether it was started
 * while the network ran, and whether it blocks in native code (a link's receiver), which always gets a
 * platform thread: a virtual thread blocked in native code would pin one of the few carrier threads.
 */
public record ProcessSpec(String name, CSProcess process, Counters counters, boolean dynamic, boolean blocksInNative) {
}
