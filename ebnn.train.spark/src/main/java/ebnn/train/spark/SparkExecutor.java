package ebnn.train.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import ebnn.api.Device;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingException;
import ebnn.train.api.TrainingService;
import ebnn.train.impl.TrainingServiceImpl;

/**
 * Runs discover's training jobs as Spark tasks: one single-task Spark job per candidate, all submitted
 * at once (Spark's FIFO scheduler keeps every executor core busy, and the driver hears of each
 * candidate as soon as it finishes, which one job of N tasks would only report at the end). The
 * datasets are broadcast once per {@link #run}; a task carries only its candidate's options and the
 * index of its datasets in the broadcast. On the worker, ebnn.train's own trainer trains the job and the
 * task returns its result (the model as .ebnn bytes, lossless; its accuracies) and its memory plan on the device.
 * Training is deterministic (same options, seed and data give the same bytes), so a task that Spark
 * re-runs after losing an executor returns what the lost attempt would have; each job has exactly one
 * result. The driver keeps the Pareto front and the best model: that is {@code Discover}, shared with
 * the local executor, which calls this through the {@link CandidateExecutor} SPI.
 */
public final class SparkExecutor implements CandidateExecutor {
    private final JavaSparkContext sc;
    private final Device device;
    private final Duration noExecutorTimeout;

    /**
     * @param device            the device whose memory plan each task reports (null for none)
     * @param noExecutorTimeout on a cluster, how long the search may go on with no executor alive
     *                          before it fails (a search never hangs waiting for workers that are gone)
     */
    public SparkExecutor(JavaSparkContext sc, Device device, Duration noExecutorTimeout) {
        this.sc = sc;
        this.device = device;
        this.noExecutorTimeout = noExecutorTimeout;
    }

    /** One candidate's task: what the driver sends (the datasets travel in the broadcast). */
    record TaskSpec(int index, String name, Object options, int train, int test) implements Serializable {
    }

    /** What a task returns: the training result (its model as .ebnn bytes), or the trainer's error; and where it ran. */
    record Outcome(int index, Object result, long flashBytes, long ramBytes, String executor, int attempt, String error) implements Serializable {
    }

    /** The code of every task: trains one job on the worker with ebnn.train's trainer. */
    static final class TrainTask implements Function<TaskSpec, Outcome> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Object[]> datasets;
        private final Object device;

        TrainTask(Broadcast<Object[]> datasets, Object device) {
            this.datasets = datasets;
            this.device = device;
        }

        @Override
        public Outcome call(TaskSpec t) {
            TaskContext ctx = TaskContext.get();
            SparkEnv env = SparkEnv.get();
            String executor = env == null ? "?" : env.executorId();
            int attempt = ctx == null ? 0 : ctx.attemptNumber();
            Object[] data = datasets.value();
            Dataset train = Wire.thaw(data[t.train()], Dataset.class);
            Dataset test = t.test() < 0 ? null : Wire.thaw(data[t.test()], Dataset.class);
            TrainOptions options = Wire.thaw(t.options(), TrainOptions.class);
            try {
                TrainResult r = new TrainingServiceImpl().train(options, train, test, TrainListener.NONE);
                long flash = -1, ram = -1;
                if (device != null) {
                    DefaultToolchain tc = new DefaultToolchain();
                    MemoryPlan p = tc.plan(tc.lower(r.model()), Wire.thaw(device, Device.class));
                    flash = p.flashBytes();
                    ram = p.ramBytes();
                }
                return new Outcome(t.index(), Wire.freeze(r), flash, ram, executor, attempt, null);
            } catch (RuntimeException | OutOfMemoryError e) {
                // as the local executor: a candidate that cannot train is a failed candidate, not a failed search
                return new Outcome(t.index(), null, -1, -1, executor, attempt, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
    }

    /** The datasets of the jobs, each once (jobs share them), and each job's indexes into that list. */
    record Plan(List<Dataset> datasets, List<TaskSpec> tasks) {
    }

    static Plan plan(List<Job> jobs) {
        Map<Dataset, Integer> seen = new IdentityHashMap<>();
        List<Dataset> ds = new ArrayList<>();
        List<TaskSpec> tasks = new ArrayList<>();
        for (int k = 0; k < jobs.size(); k++) {
            Job j = jobs.get(k);
            int tr = seen.computeIfAbsent(j.train(), d -> {
                ds.add(d);
                return ds.size() - 1;
            });
            int te = j.test() == null ? -1 : seen.computeIfAbsent(j.test(), d -> {
                ds.add(d);
                return ds.size() - 1;
            });
            tasks.add(new TaskSpec(k, j.name(), Wire.freeze(j.options()), tr, te));
        }
        return new Plan(ds, tasks);
    }

    /** {@code trainer} stays on the driver: each worker trains with ebnn.train's own trainer, the same code. */
    @Override
    public List<JobResult> run(List<Job> jobs, TrainingService trainer, TrainListener listener) {
        TrainListener out = listener == null ? TrainListener.NONE : listener;
        Plan plan = plan(jobs);
        Broadcast<Object[]> data = sc.broadcast(plan.datasets().stream().map(Wire::freeze).toArray());
        TrainTask task = new TrainTask(data, Wire.freeze(device));
        List<JavaFutureAction<List<Outcome>>> futures = new ArrayList<>();
        try {
            for (TaskSpec t : plan.tasks()) {
                sc.setJobDescription("ebnn discover " + (t.index() + 1) + "/" + jobs.size() + ": " + t.name());
                futures.add(sc.parallelize(List.of(t), 1).map(task).collectAsync());
            }
            JobResult[] results = new JobResult[jobs.size()];
            Outcome[] outcomes = new Outcome[jobs.size()];
            int done = 0;
            long noExecutorSince = -1;
            while (done < results.length) {
                boolean progressed = false;
                for (int k = 0; k < results.length; k++) {
                    if (results[k] != null || !futures.get(k).isDone())
                        continue;
                    results[k] = collect(futures.get(k), outcomes, k);
                    done++;
                    progressed = true;
                    out.message(progress(done, results.length, jobs.get(k).name(), results[k], outcomes[k]));
                }
                if (progressed)
                    continue;
                if (sc.sc().isStopped())
                    throw new TrainingException("the Spark context stopped during the search (the master gave up on this application)");
                if (!sc.isLocal()) {
                    boolean none = executors(sc) == 0;
                    long now = System.nanoTime();
                    if (!none)
                        noExecutorSince = -1;
                    else if (noExecutorSince < 0)
                        noExecutorSince = now;
                    else if (now - noExecutorSince > noExecutorTimeout.toNanos())
                        throw new TrainingException(String.format(Locale.ROOT,
                                "no Spark executor alive for %d s with %d of %d candidates left: are the workers up, with the memory and cores asked for?",
                                noExecutorTimeout.toSeconds(), results.length - done, results.length));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TrainingException("interrupted");
                }
            }
            return List.of(results);
        } finally {
            for (JavaFutureAction<List<Outcome>> f : futures)
                if (!f.isDone())
                    f.cancel(true);
            if (!sc.sc().isStopped())
                data.destroy();
        }
    }

    /** The job's result; its task's outcome goes to {@code outcomes[k]} for the progress line. */
    private static JobResult collect(JavaFutureAction<List<Outcome>> f, Outcome[] outcomes, int k) {
        List<Outcome> os;
        try {
            os = f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return new JobResult(null, "Spark gave up on the task: " + firstLine(c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobResult(null, "interrupted");
        }
        if (os.size() != 1)
            return new JobResult(null, "Spark returned " + os.size() + " results for one candidate");
        Outcome o = os.get(0);
        if (o.index() != k)
            return new JobResult(null, "Spark returned candidate " + o.index() + "'s result for candidate " + k);
        outcomes[k] = o;
        if (o.error() != null)
            return new JobResult(null, o.error());
        return new JobResult(Wire.thaw(o.result(), TrainResult.class), null);
    }

    private static String progress(int done, int total, String name, JobResult r, Outcome o) {
        String where = o == null ? "" : " on executor " + o.executor() + (o.attempt() > 0 ? " (attempt " + (o.attempt() + 1) + ")" : "");
        if (r.result() == null)
            return String.format(Locale.ROOT, "[%d/%d] %s failed%s: %s", done, total, name, where, r.error());
        TrainResult t = r.result();
        String acc = Double.isNaN(t.validationAccuracy()) ? "" : String.format(Locale.ROOT, ", validation %.2f %%", 100 * t.validationAccuracy());
        String mem = o == null || o.flashBytes() < 0 ? "" : String.format(Locale.ROOT, ", flash %,d B, RAM %,d B", o.flashBytes(), o.ramBytes());
        return String.format(Locale.ROOT, "[%d/%d] %s trained in %.1f s%s%s%s", done, total, name, t.seconds(), where, acc, mem);
    }

    /** Executors alive on a cluster (Spark lists the driver among them). */
    static int executors(JavaSparkContext sc) {
        return Math.max(0, sc.sc().statusTracker().getExecutorInfos().length - 1);
    }

    private static String firstLine(String s) {
        if (s == null)
            return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
