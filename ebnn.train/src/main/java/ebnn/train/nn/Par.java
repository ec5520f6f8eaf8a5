package ebnn.train.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work split into a FIXED number of shards on a small thread pool. The shard boundaries depend
 * only on the problem size and {@link #SHARDS}, never on the thread count, and every reduction sums
 * per-shard partial results in shard order afterwards: so 1 or 2 (or 8) threads give bit-identical
 * floats, which is what makes a seeded run reproducible to the byte.
 */
public final class Par implements AutoCloseable {
    /** Reduction shards per batch; fixed so that results never depend on the number of threads. */
    public static final int SHARDS = 4;

    /** Body of one shard: processes items [from, to) as shard {@code shard}. */
    @FunctionalInterface
    public interface ShardBody {
        void run(int shard, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    public Par(int threads) {
        this.threads = Math.max(1, threads);
        if (this.threads == 1) {
            pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(this.threads - 1, r -> {
                Thread t = new Thread(r, "ebnn-train-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    public int threads() {
        return threads;
    }

    /** Start of shard s of n items. */
    public static int shardStart(int n, int s) {
        return (int) ((long) n * s / SHARDS);
    }

    /** Splits [0, n) into {@link #SHARDS} fixed shards and runs them; returns when all are done. */
    public void shards(int n, ShardBody body) {
        parts(SHARDS, s -> body.run(s, shardStart(n, s), shardStart(n, s + 1)));
    }

    /** Runs body(0..parts-1), each index exactly once, spread over the threads. */
    public void parts(int parts, java.util.function.IntConsumer body) {
        if (pool == null || parts <= 1) {
            for (int i = 0; i < parts; i++)
                body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < parts;)
                body.accept(i);
        };
        List<Future<?>> fs = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++)
            fs.add(pool.submit(worker));
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null)
                    failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null)
                    failure = e;
            }
        }
        if (failure instanceof RuntimeException re)
            throw re;
        if (failure instanceof Error er)
            throw er;
        if (failure != null)
            throw new IllegalStateException("training interrupted", failure);
    }

    @Override
    public void close() {
        if (pool != null)
            pool.shutdownNow();
    }
}
