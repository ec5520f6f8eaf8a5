package ebnn.runtime.java;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

/**
 * Issue 8, concurrency: one compiled model shared by 8 threads for 10^5 inferences in total (on
 * the real MNIST test digits, each thread in its own order, started together) gives exactly the
 * classes and integer scores of one thread computing them one by one; batches running at the same
 * time as single calls too.
 */
public class ConcurrentInferenceTest {
    static final int THREADS = 8, TOTAL = 100_000;

    private static void check(BinaryModel m) throws Exception {
        Dataset d = TestData.mnistTest();
        int count = d.count(), n = m.inputSize(), k = m.classes();
        assertEquals(10_000, count);
        byte[] in = d.samples();
        CompiledModel c = new JvmEngine().load(m);
        int[] wantClass = new int[count], wantScores = new int[count * k], one = new int[k];
        for (int i = 0; i < count; i++) {
            wantClass[i] = c.classify(in, i * n, one);
            System.arraycopy(one, 0, wantScores, i * k, k);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int[] s = new int[k];
                    start.await(60, TimeUnit.SECONDS);
                    int done = 0;
                    for (int j = 0; j < TOTAL / THREADS; j++) {
                        // a different stride and start per thread: threads meet on the same samples in different orders
                        int i = (int) ((j * (long) (2 * thread + 1) * 7919 + thread * 1237L) % count);
                        int cls = c.classify(in, i * n, s);
                        if (cls != wantClass[i])
                            throw new AssertionError(m.name() + ": thread " + thread + " sample " + i + " class " + cls + ", alone " + wantClass[i]);
                        for (int q = 0; q < k; q++)
                            if (s[q] != wantScores[i * k + q])
                                throw new AssertionError(m.name() + ": thread " + thread + " sample " + i + " score " + q + " = " + s[q]
                                        + ", alone " + wantScores[i * k + q]);
                        done++;
                        if (thread == 0 && j % 5000 == 0) { // a batch (which may itself use threads) in the middle of it all
                            int[] batch = c.classifyBatch(in, 1000, null);
                            for (int b = 0; b < 1000; b++)
                                if (batch[b] != wantClass[b])
                                    throw new AssertionError(m.name() + ": batch sample " + b);
                        }
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results)
                total += f.get(300, TimeUnit.SECONDS);
            assertEquals(TOTAL, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void convPool16EightThreads() throws Exception {
        check(Lowering.lower(PaperModels.convPool16(2)));
    }

    @Test
    public void tfcEightThreads() throws Exception {
        check(Lowering.lower(PaperModels.tfc(3)));
    }
}
