package org.cspstack.core.csp;

import org.jcsp.lang.Poisonable;

/** Poison helpers. Every channel in cspstack has immunity 0 and is poisoned with strength 1. */
public final class Poison {
    /** The strength every process uses; channels are built with immunity 0, so it always takes. */
    public static final int STRENGTH = 1;

    private Poison() {
    }

    /** Poisons every given end; ends that are null are skipped. For a process's termination path. */
    public static void all(Poisonable... ends) {
        for (Poisonable end : ends) {
            if (end != null) {
                end.poison(STRENGTH);
            }
        }
    }
}
