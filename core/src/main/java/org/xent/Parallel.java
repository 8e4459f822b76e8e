package org.xent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xent.internal.ScratchPool;

/**
 * Runs the parts of one batch on an executor, the calling thread taking part too, and keeps each part's partial
 * sum at the part's index, for the caller to add in part order: so the result does not depend on which thread ran
 * which part, nor on how many threads there were.
 *
 * <p>Parts are handed out one at a time from a shared counter, to whichever thread asks next (the caller among
 * them), which balances uneven parts and a busy executor. The caller waits for parts in progress only, never for a
 * task that has not started: if the executor runs nothing (saturated, or the caller is its only worker), the
 * caller computes every part itself and returns.
 *
 * <p>A parallel call allocates a few objects (the latch, the counter, the partial sums, one task per extra
 * thread); the single-thread path never comes here.
 */
final class Parallel {
    private Parallel() {}

    /** One part of a batch: its partial sum, computed with a scratch of its thread's own. */
    interface Part {
        double run(long part, Staging.Scratch scratch);
    }

    /** xent's shared pool: daemon threads, as many as the available processors, made on first use. */
    static Executor sharedPool() {
        return SharedPool.POOL;
    }

    private static final class SharedPool {
        private static final AtomicInteger NEXT = new AtomicInteger();
        static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("xent-worker-" + NEXT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /**
     * Runs {@code parts} parts over at most {@code threads} threads (the caller and {@code threads - 1} tasks on
     * {@code executor}) and returns their partial sums, indexed by part.
     */
    static double[] run(Executor executor, int threads, int parts, Part body, ScratchPool<Staging.Scratch> scratch) {
        final double[] partials = new double[parts];
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(parts);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            if (next.get() >= parts) {
                return; // started after every part was taken
            }
            Staging.Scratch s = scratch.take();
            try {
                for (int p; (p = next.getAndIncrement()) < parts; ) {
                    try {
                        partials[p] = body.run(p, s);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        done.countDown();
                    }
                }
            } finally {
                scratch.give(s);
            }
        };
        for (int k = 1; k < threads; k++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the threads that did start, and the caller, do the rest
            }
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // parts in progress finish quickly; keep the flag for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return partials;
    }
}
