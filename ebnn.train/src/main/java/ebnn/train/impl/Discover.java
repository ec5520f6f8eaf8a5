package ebnn.train.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import ebnn.api.Device;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.model.Model;
import ebnn.train.api.Candidate;
import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingService;
import ebnn.train.nn.BatchNorm;
import ebnn.train.nn.BinaryConv2d;
import ebnn.train.nn.BinaryDense;
import ebnn.train.nn.Net;
import ebnn.train.nn.Op;

/**
 * discover, for inputs of any shape: candidates (the built-in ones that the input's shape can take, or those
 * given) → exact memory plan before training → drop over-budget → train the rest →
 * re-plan the trained models (a model that no longer fits is never returned) → Pareto front.
 */
public final class Discover {
    /** Built-in candidates beyond the named families: widths of each family around the paper's sizes. */
    public static final List<String> DEFAULT_CANDIDATES = List.of("mlp-1", "mlp-2", "conv-1", "conv-2", "convpool-1", "convpool-2",
            "tfc", "sfc", "dense:16", "dense:32", "dense:64", "dense:256", "conv:4:3", "conv:16:3", "conv:8:3,pool:2:2",
            "conv:16:3,pool:2:2", "conv:64:3,pool:2:2", "conv:16:3,pool:2:2,conv:32:3,pool:2:2", "conv:8:3,pool:2:2,conv:16:3,pool:2:2",
            "conv:8:7:0:5", "conv:16:7:0:5", "conv:16:5,pool:4:4", "conv:32:5,pool:4:4", "conv:8:5,pool:3:2,conv:16:3,pool:2:2");

    private final TrainingService trainer;
    /** The planner of ebnn.core: lowering + MemoryPlanner, via the Toolchain service. */
    private final BiFunction<Model, Device, MemoryPlan> planner;

    public Discover(TrainingService trainer, BiFunction<Model, Device, MemoryPlan> planner) {
        this.trainer = trainer;
        this.planner = planner;
    }

    /**
     * The untrained model of a spec with its batch norms set so that every threshold lands near
     * the largest accumulator: the planner then sizes thresholds at their widest, so the plan is an
     * upper bound of any trained model of the spec (weights' bytes do not depend on their values).
     */
    static Model pessimistic(String spec, Dataset shapeOf, int classes) {
        Net net = Architectures.build(spec, shapeOf.shape(), classes);
        net.init(0);
        long maxAcc = 0;
        boolean first = true;
        for (Op op : net.ops) {
            if (op instanceof BinaryDense d) {
                maxAcc = (long) d.inputs * (first ? 255 : 1);
                first = false;
            } else if (op instanceof BinaryConv2d c) {
                maxAcc = (long) c.inChannels * c.kernel * c.kernel * (first ? 255 : 1);
                first = false;
            } else if (op instanceof BatchNorm b) {
                java.util.Arrays.fill(b.runningMean, Math.floor(maxAcc * 0.9));
            }
        }
        return net.export(net.name, List.of());
    }

    /**
     * The untrained model of a spec, batch norms at mean 0 and variance 1 so every threshold lands near 0:
     * its plan is a lower bound of any trained model of the spec (only thresholds' widths depend on values).
     */
    static Model optimistic(String spec, Dataset shapeOf, int classes) {
        Net net = Architectures.build(spec, shapeOf.shape(), classes);
        net.init(0);
        return net.export(net.name, List.of());
    }

    public DiscoverResult run(DiscoverOptions o, Dataset train, Dataset test, CandidateExecutor executor, TrainListener listener) {
        if (listener == null)
            listener = TrainListener.NONE;
        Device device = o.device();
        boolean defaults = o.candidates().isEmpty();
        List<String> names = defaults ? DEFAULT_CANDIDATES : o.candidates();
        int classes = Trainer.classes(train, test);
        List<Candidate> all = new ArrayList<>();
        List<CandidateExecutor.Job> jobs = new ArrayList<>();
        List<Integer> jobIndex = new ArrayList<>();
        for (String name : names) {
            String spec = Architectures.spec(name);
            if (defaults && !buildsFor(spec, train, classes)) {
                // a built-in candidate made for images (a conv of a 7x7 kernel, say) that this input cannot take
                listener.message(String.format(Locale.ROOT, "%-40s does not apply to inputs of %s, skipped", name, train.shape()));
                continue;
            }
            MemoryPlan plan;
            try {
                plan = planner.apply(pessimistic(spec, train, classes), device);
            } catch (RuntimeException e) {
                all.add(new Candidate(name, spec, -1, -1, "failed: " + e.getMessage(), Double.NaN, Double.NaN, 0, false));
                continue;
            }
            boolean fits = plan.fits();
            listener.message(String.format(Locale.ROOT, "%-40s flash <= %,7d B  RAM <= %,6d B  %s", name, plan.flashBytes(), plan.ramBytes(),
                    fits ? "fits " + device.name() : "over budget, skipped"));
            all.add(new Candidate(name, spec, plan.flashBytes(), plan.ramBytes(), fits ? "pending" : "over-budget", Double.NaN, Double.NaN, 0,
                    false));
            if (fits) {
                jobIndex.add(all.size() - 1);
                jobs.add(new CandidateExecutor.Job(name, o.training().withArch(name), train, test));
            }
        }
        if (o.timeBudgetMillis() > 0 && !jobs.isEmpty()) {
            int waves = (jobs.size() + o.parallel() - 1) / o.parallel();
            long perJob = Math.max(1000, o.timeBudgetMillis() / waves);
            jobs.replaceAll(j -> new CandidateExecutor.Job(j.name(), j.options().withTimeLimit(perJob), j.train(), j.test()));
        }
        CandidateExecutor ex = executor != null ? executor : new LocalExecutor(o.parallel());
        List<CandidateExecutor.JobResult> results = jobs.isEmpty() ? List.of() : ex.run(jobs, trainer, listener);
        Model[] models = new Model[all.size()];
        for (int k = 0; k < jobs.size(); k++) {
            int i = jobIndex.get(k);
            Candidate c = all.get(i);
            CandidateExecutor.JobResult r = k < results.size() ? results.get(k) : null;
            if (r == null || r.result() == null) {
                all.set(i, new Candidate(c.name(), c.spec(), c.flashBytes(), c.ramBytes(), "failed: " + (r == null ? "no result" : r.error()),
                        Double.NaN, Double.NaN, 0, false));
                continue;
            }
            TrainResult tr = r.result();
            MemoryPlan exact = planner.apply(tr.model(), device);
            int asked = jobs.get(k).options().epochs(), done = tr.history().size();
            String status = !exact.fits() ? "over-budget after training" : done < asked ? "trained " + done + " of " + asked + " epochs" : "trained";
            all.set(i, new Candidate(c.name(), c.spec(), exact.flashBytes(), exact.ramBytes(), status, tr.validationAccuracy(),
                    tr.testAccuracy(), tr.seconds(), false));
            if (exact.fits())
                models[i] = tr.model();
        }
        // Pareto front over (validation accuracy ↑, flash ↓, RAM ↓) of the trained candidates
        for (int i = 0; i < all.size(); i++) {
            Candidate c = all.get(i);
            if (!c.trained())
                continue;
            boolean dominated = false;
            for (Candidate d : all)
                if (d != c && d.trained() && score(d) >= score(c) && d.flashBytes() <= c.flashBytes() && d.ramBytes() <= c.ramBytes()
                        && (score(d) > score(c) || d.flashBytes() < c.flashBytes() || d.ramBytes() < c.ramBytes()))
                    dominated = true;
            if (!dominated)
                all.set(i, new Candidate(c.name(), c.spec(), c.flashBytes(), c.ramBytes(), c.status(), c.validationAccuracy(), c.testAccuracy(),
                        c.seconds(), true));
        }
        int best = -1;
        for (int i = 0; i < all.size(); i++) {
            Candidate c = all.get(i);
            if (!c.trained())
                continue;
            if (best < 0 || score(c) > score(all.get(best))
                    || score(c) == score(all.get(best)) && c.flashBytes() + c.ramBytes() < all.get(best).flashBytes() + all.get(best).ramBytes())
                best = i;
        }
        String svg = Plot.svg(device, all);
        return new DiscoverResult(device, all, best < 0 ? null : all.get(best), best < 0 ? null : models[best], svg);
    }

    private static boolean buildsFor(String spec, Dataset train, int classes) {
        try {
            Architectures.build(spec, train.shape(), classes);
            return true;
        } catch (ebnn.train.api.TrainingException e) {
            return false;
        }
    }

    /** Ranking accuracy: validation when there is one, else training-free ranking falls back to test. */
    private static double score(Candidate c) {
        double v = c.validationAccuracy();
        if (Double.isNaN(v))
            v = c.testAccuracy();
        return Double.isNaN(v) ? -1 : v;
    }

}
