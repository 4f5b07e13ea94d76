package org.cspstack.core.csp;

import org.jcsp.lang.CSProcess;

/** One process of the network: its name, the process itself, its counters and whether it is dynamic. */
public record ProcessSpec(String name, CSProcess process, Counters counters, boolean dynamic) {
}
