package ebnn.train.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainingCancelledException;
import ebnn.train.api.TrainingService;

/** Runs discover's jobs in this JVM, {@code parallel} at a time. */
public final class LocalExecutor implements CandidateExecutor {
    private final int parallel;

    public LocalExecutor(int parallel) {
        this.parallel = Math.max(1, parallel);
    }

    @Override
    public List<JobResult> run(List<Job> jobs, TrainingService trainer, TrainListener listener) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "ebnn-discover");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<JobResult>> fs = new ArrayList<>();
            for (Job j : jobs)
                fs.add(pool.submit(() -> {
                    try {
                        return new JobResult(trainer.train(j.options(), j.train(), j.test(), listener), null);
                    } catch (TrainingCancelledException e) {
                        throw e;
                    } catch (RuntimeException | OutOfMemoryError e) {
                        return new JobResult(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    }
                }));
            List<JobResult> out = new ArrayList<>();
            for (Future<JobResult> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TrainingCancelledException c)
                        throw new TrainingCancelledException("discover interrupted; " + c.getMessage());
                    out.add(new JobResult(null, String.valueOf(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(new JobResult(null, "interrupted"));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
