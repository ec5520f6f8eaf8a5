/**
 * The eBNN lowering from the float-level model to the integer model, as small named passes driven
 * by {@link ebnn.core.lower.Lowering} (private to ebnn.core; other bundles use the Toolchain service).
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>Every bit a block produces equals the float model's ±1 value after the corresponding sign
 * (and pool) as {@link ebnn.api.model.FloatEvaluator} computes it, for every input: thresholds are
 * verified against the exact double evaluation of the float chain for every reachable integer
 * accumulator ({@link ebnn.core.lower.ThresholdFolding}). The only caveat is the float model's own
 * summation order: the float evaluator adds ±α·x terms one at a time, which can differ from α·acc
 * in the last bits, so a float value lying exactly on a batch-norm decision point may round either
 * way (this needs parameters placed exactly on a reachable value, which trained models do not
 * have; with α = 1 and integer inputs the sums are exact and there is no caveat).</li>
 * <li>The class is the float class except where the float top-2 scores are within
 * {@link ebnn.core.lower.Lowering.Result#scoreBound()} of each other (0 when the scores are the
 * accumulators themselves, as for ±1 last layers without batch norm; up to a few float ulps of the
 * score magnitude for exact ties, as above).</li>
 * <li>Models the integer contract cannot express exactly are refused with
 * {@link ebnn.api.UnsupportedModelException} naming the layer, never approximated.</li>
 * </ul>
 */
package ebnn.core.lower;
