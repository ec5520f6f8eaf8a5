/**
 * The integer eBNN IR every back end implements: what remains of a model after batch norm and sign
 * are folded into integer thresholds and conv, pool and threshold are fused into blocks. No floats.
 *
 * <h2>The contract (see ARCHITECTURE.md)</h2>
 * <ul>
 * <li>The device input is one unsigned byte per element, in <b>HWC</b> order (interleaved
 * channels, as cameras and image files give them; identical to CHW for one channel).</li>
 * <li>Bit tensors are HWC too; bit 1 means +1, bit 0 means −1. A dense block's input index is the
 * HWC index of the tensor before it.</li>
 * <li>On bit input, a tap contributes +1 where activation and weight bits agree, −1 where they
 * differ; taps outside the input (convolution padding) contribute 0. So over n valid taps
 * acc = n − 2·popcount(a XOR w). Packed streams are padded with 0 bits in both operands, which
 * XOR to 0 and therefore never count.</li>
 * <li>On byte input (the first block), pixel p becomes q = multiplier·p + offset
 * ({@link ebnn.api.binary.ByteInput}) and a tap contributes +q for weight bit 1, −q for bit 0.</li>
 * <li>A threshold gives bit = (acc >= τ). With a pool, the pooled bit is the OR (or, per channel,
 * the AND) of the window's threshold bits; window positions outside the conv output are ignored.
 * The conv map itself is never stored.</li>
 * <li>The last block gives int32 scores: score = acc·multiplier + offset (never overflows for any
 * reachable acc); the class is the argmax, ties to the lowest index. Or, in a model whose output
 * is a bit vector ({@link ebnn.api.model.OutputKind#BITS}), the last block is a dense block with
 * thresholds like a hidden one, and its bits are the output: bit i = output i.</li>
 * </ul>
 * Memory layout rules shared by the planner and the code generators are in {@link ebnn.api.binary.Packing}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package ebnn.api.binary;
