package ebnn.train.api;

import java.util.List;

import ebnn.api.Device;

/**
 * How to search.
 *
 * @param device          the budget: a candidate must fit its flash and its RAM
 * @param candidates      architecture names or specs to try; empty for the built-in candidate list
 * @param training        options for each candidate (its {@code arch} is replaced); {@code validation} > 0 is
 *                        needed to rank candidates without looking at the test set
 * @param timeBudgetMillis total wall-clock budget for training (0 = none); split evenly over the waves of parallel jobs
 * @param parallel        candidates trained at the same time (the threads of {@code training} are per candidate)
 */
public record DiscoverOptions(Device device, List<String> candidates, TrainOptions training, long timeBudgetMillis, int parallel) {
    public DiscoverOptions {
        if (device == null || training == null)
            throw new TrainingException("device and training options must be given");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if (timeBudgetMillis < 0 || parallel <= 0)
            throw new TrainingException("time budget must be >= 0 and parallel > 0");
    }
}
