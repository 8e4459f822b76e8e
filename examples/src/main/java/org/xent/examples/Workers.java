package org.xent.examples;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads of the plain-Java half of a step (the matrix products): the calling thread and {@code threads - 1}
 * daemon threads work through numbered blocks. A block is always computed whole by one thread, in one fixed order,
 * so which thread takes it changes nothing in the result: the model's bits do not depend on the thread count, as
 * xent's do not.
 */
final class Workers implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final Future<?>[] pending;

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "xent-example-worker");
            t.setDaemon(true); // an example that forgets close() must still exit
            return t;
        });
        this.pending = new Future<?>[threads - 1];
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} for blocks 0 to {@code blocks - 1}, each once, and returns when all are done. */
    void forEachBlock(int blocks, IntConsumer body) {
        int helpers = Math.min(threads - 1, blocks - 1);
        if (helpers <= 0) {
            for (int b = 0; b < blocks; b++) {
                body.accept(b);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int b; (b = next.getAndIncrement()) < blocks; ) {
                body.accept(b);
            }
        };
        for (int i = 0; i < helpers; i++) {
            pending[i] = pool.submit(drain);
        }
        drain.run(); // the caller works too rather than waiting idle
        try {
            for (int i = 0; i < helpers; i++) {
                pending[i].get();
                pending[i] = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a worker failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
