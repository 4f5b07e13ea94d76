package org.cspstack.core.csp;

/**
 * A message that can describe itself in one line for traces and narration ({@code UDP 49152 > 7, 22 bytes}).
 * The summary must not change the message (it is taken while the message still belongs to its writer).
 */
public interface Summarizable {
    String summary();
}
