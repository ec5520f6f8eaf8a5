package ebnn.train.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

import org.junit.BeforeClass;
import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.testing.TestData;
import ebnn.train.api.Candidate;
import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainOptions;

/**
 * discover never trains a candidate over the device budget and never returns a model that does not
 * fit; the budget is checked with the real lowering and planner of ebnn.core.
 */
public class DiscoverTest {
    private static Dataset train;
    /** An AVR with an Uno's 2 KB of RAM and 6 KB of flash: small candidates decide the budget, and plan fast. */
    private static final Device SMALL = new Device("small-avr", "test device: 6 KB flash, 2 KB RAM", Device.Arch.AVR, "avr5", 6 * 1024, 2 * 1024,
            8, 16_000_000);
    private static final BiFunction<Model, Device, MemoryPlan> PLANNER = (m, d) -> MemoryPlanner.plan(Lowering.lower(m), d);

    @BeforeClass
    public static void load() {
        train = Idx.load(TestData.data("mnist"), false).head(700);
    }

    private static TrainOptions quick() {
        return TrainOptions.defaults("candidate").withEpochs(1).withBatchSize(50).withSeed(3).withThreads(1).withValidation(200);
    }

    /** An executor that records what it was asked to train. */
    private static final class Recording implements CandidateExecutor {
        final List<String> trained = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<JobResult> run(List<Job> jobs, ebnn.train.api.TrainingService trainer, ebnn.train.api.TrainListener listener) {
            jobs.forEach(j -> trained.add(j.name()));
            return new LocalExecutor(2).run(jobs, trainer, listener);
        }
    }

    @Test
    public void candidatesOverTheBudgetAreNeverTrainedAndTheBestModelFits() {
        // dense:64 needs 6.3 KB of weights (+ code) in 6 KB of flash, conv:32:3 a 2.7 KB bit buffer in 2 KB of RAM; the others fit
        List<String> names = List.of("dense:8", "dense:64", "conv:32:3", "conv:4:3,pool:2:2", "dense:16");
        Recording ex = new Recording();
        DiscoverResult r = new Discover(new TrainingServiceImpl(), PLANNER).run(new DiscoverOptions(SMALL, names, quick(), 0, 2), train, null,
                ex, null);
        assertEquals(names.size(), r.candidates().size());
        for (Candidate c : r.candidates()) {
            boolean fitsBeforeTraining = PLANNER.apply(Discover.pessimistic(c.spec(), train, 10), SMALL).fits();
            assertEquals(c.name() + " trained iff it fits", fitsBeforeTraining, ex.trained.contains(c.name()));
            if (!fitsBeforeTraining) {
                assertEquals(c.name(), "over-budget", c.status());
                assertTrue(c.name() + " is over the flash or RAM of the device", c.flashBytes() > SMALL.flashBytes() || c.ramBytes() > SMALL.ramBytes());
            } else {
                assertTrue(c.name() + ": " + c.status(), c.trained());
                assertTrue(c.flashBytes() <= SMALL.flashBytes() && c.ramBytes() <= SMALL.ramBytes());
                assertFalse(Double.isNaN(c.validationAccuracy()));
            }
        }
        assertFalse("dense:64 is over budget", ex.trained.contains("dense:64"));
        assertFalse("conv:32:3 (no pool) is over budget", ex.trained.contains("conv:32:3"));
        assertEquals(3, ex.trained.size());
        assertNotNull(r.bestModel());
        MemoryPlan best = PLANNER.apply(r.bestModel(), SMALL);
        assertTrue("the returned model fits: " + MemoryPlanner.report(best), best.fits());
        assertTrue(r.best().pareto());
        for (Candidate c : r.candidates())
            assertTrue(c.name() + " is better than the best by validation", !c.trained()
                    || c.validationAccuracy() <= r.best().validationAccuracy());
        assertTrue("the plot is an SVG naming the device", r.svg().startsWith("<svg") || r.svg().startsWith("<?xml"));
        assertTrue(r.svg().contains(SMALL.name()));
    }

    @Test
    public void aModelThatNoLongerFitsAfterTrainingIsNeverReturned() {
        // a planner whose exact plan of a trained model exceeds the budget (thresholds wider than planned, say):
        // the pre-training plan lets the candidate through, the re-plan after training must drop it
        Device tiny = new Device("tiny", "test device", Device.Arch.AVR, "avr5", 32 * 1024, 2 * 1024, 8, 16_000_000);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        BiFunction<Model, Device, MemoryPlan> planner = (m, d) -> {
            MemoryPlan p = PLANNER.apply(m, d);
            if (calls.incrementAndGet() == 1)
                return p; // the plan before training
            return new MemoryPlan(p.model(), p.device(), p.inputBytes(), p.bufferABytes(), p.bufferBBytes() + d.ramBytes(), p.scoreBytes(),
                    p.stackBytes(), p.codeBytes(), p.blocks());
        };
        DiscoverResult r = new Discover(new TrainingServiceImpl(), planner).run(new DiscoverOptions(tiny, List.of("dense:8"), quick(), 0, 1),
                train, null, null, null);
        assertEquals("over-budget after training", r.candidates().get(0).status());
        assertNull(r.best());
        assertNull(r.bestModel());
        assertEquals("planned once before and once after training", 2, calls.get());
    }

    @Test
    public void nothingFitsNothingReturned() {
        DiscoverResult r = new Discover(new TrainingServiceImpl(), PLANNER).run(
                new DiscoverOptions(SMALL, List.of("dense:64", "conv:64:3"), quick(), 0, 1), train, null, null, null);
        assertTrue(r.candidates().stream().allMatch(c -> c.status().equals("over-budget")));
        assertNull(r.bestModel());
    }
}
