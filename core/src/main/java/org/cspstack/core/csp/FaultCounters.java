package org.cspstack.core.csp;

/**
 * What a {@link FaultInjector} counts; written only by its process. Decisions ({@code dropped},
 * {@code duplicated}, {@code reordered}, {@code corrupted}, {@code delayed}) count arriving frames; {@code
 * framesOut} and the drops after a decision ({@code overflowDropped}, {@code shutdownDropped}) count buffers, a
 * duplicated frame being two. So at any time
 * {@code framesOut + overflowDropped + shutdownDropped + held = framesIn - dropped + duplicated}.
 */
public final class FaultCounters extends Counters {
    /** Frames read from the input. */
    public final Counter framesIn = counter("framesIn");
    /** Buffers written to the output (duplicates included). */
    public final Counter framesOut = counter("framesOut");
    /** Frames lost on purpose ({@code loss}). */
    public final Counter dropped = counter("dropped");
    /** Frames sent twice ({@code duplicate}). */
    public final Counter duplicated = counter("duplicated");
    /** Frames held back so that later ones overtake them ({@code reorder}). */
    public final Counter reordered = counter("reordered");
    /** Frames with one byte flipped ({@code corrupt}). */
    public final Counter corrupted = counter("corrupted");
    /** Frames held for the fixed {@code delay}. */
    public final Counter delayed = counter("delayed");
    /** Buffers dropped because the hold was full ({@link FaultPlan#maxHeld()} frames). */
    public final Counter overflowDropped = counter("overflowDropped");
    /** Buffers still held, or about to be written, when the injector ended by poison. */
    public final Counter shutdownDropped = counter("shutdownDropped");

    public FaultCounters(String owner) {
        super(owner);
    }
}
