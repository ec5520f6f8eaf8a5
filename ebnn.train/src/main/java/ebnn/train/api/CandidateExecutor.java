package ebnn.train.api;

import java.util.List;

/**
 * Runs discover's training jobs. The default runs them in this JVM, {@code parallel} at a time; a
 * cluster engine would ship each job (a layer spec, options and the datasets) to a worker and return
 * the results in the same order.
 */
public interface CandidateExecutor {
    /** One training job. */
    record Job(String name, TrainOptions options, ebnn.api.data.Dataset train, ebnn.api.data.Dataset test) {
    }

    /** Trains every job; the result list has one entry per job, in job order (null or an exception's entry for a failure). */
    List<JobResult> run(List<Job> jobs, TrainingService trainer, TrainListener listener);

    /** The result of one job: a result, or the error message when it failed. */
    record JobResult(TrainResult result, String error) {
    }
}
