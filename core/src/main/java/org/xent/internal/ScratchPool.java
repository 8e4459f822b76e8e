package org.xent.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Scratch objects lent to one call at a time, shared by all threads.
 *
 * <p>A {@code ThreadLocal} would give each new thread its own scratch on its first call: a backend that runs
 * every request on a fresh virtual thread would then allocate on every call. Here a call takes a scratch from a
 * fixed set of slots and gives it back when it ends; a new one is made only while more calls run at once than
 * ever before, so once as many scratch objects exist as calls run concurrently, no call allocates, whichever
 * thread makes it. A call that finds every slot taken on return drops its scratch (more concurrent calls than
 * slots: the garbage collector takes the rest).
 *
 * <p>A take is one read and one compare-and-set on an uncontended slot (the scan starts at a slot picked by the
 * thread's id, so threads mostly use different slots); a give is one compare-and-set.
 *
 * @param <T> the scratch type; it must not hold anything of one call that the next one could see
 */
public final class ScratchPool<T> {
    // slots are STRIDE apart, so that two threads' slots do not share a cache line
    private static final int STRIDE = 16;
    private final AtomicReferenceArray<T> slots;
    private final int count;
    private final Supplier<T> factory;

    /** A pool that makes its scratch with {@code factory}; slots for twice the available processors, at least 8. */
    public ScratchPool(Supplier<T> factory) {
        this.count = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        this.slots = new AtomicReferenceArray<>(count * STRIDE);
        this.factory = factory;
    }

    /** A scratch for the caller alone, until it {@link #give gives} it back. */
    public T take() {
        int start = (int) (Thread.currentThread().threadId() % count);
        for (int n = 0; n < count; n++) {
            int slot = ((start + n) % count) * STRIDE;
            T t = slots.getPlain(slot);
            if (t != null && slots.compareAndSet(slot, t, null)) {
                return t;
            }
        }
        return factory.get();
    }

    /** Returns {@code t}, taken from this pool, for another call. */
    public void give(T t) {
        int start = (int) (Thread.currentThread().threadId() % count);
        for (int n = 0; n < count; n++) {
            int slot = ((start + n) % count) * STRIDE;
            if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, t)) {
                return;
            }
        }
    }
}
