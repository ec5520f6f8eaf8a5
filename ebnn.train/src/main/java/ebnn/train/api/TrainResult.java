package ebnn.train.api;

import java.util.List;

import ebnn.api.model.Model;

/**
 * A trained network.
 *
 * @param model              the float-level IR (weights exactly ±1, batch norm with running statistics, input 0..255)
 * @param spec               the layer spec it was built from
 * @param testAccuracy       fraction correct on the test set with the trainer's own inference, NaN when none was given
 * @param validationAccuracy after the last epoch, NaN without validation
 * @param seconds            wall-clock training time (without the final test evaluation)
 * @param activationBytes    bytes of activation and activation-gradient storage the trainer held for one training batch
 *                           (counted exactly: every array kept from forward for backward, the gradient buffers, the
 *                           per-shard work space; not parameters, their gradients or the optimizer's state)
 */
public record TrainResult(Model model, String spec, List<EpochStats> history, double testAccuracy, double validationAccuracy,
        double seconds, long parameters, long activationBytes) {
    public TrainResult {
        history = List.copyOf(history);
    }
}
