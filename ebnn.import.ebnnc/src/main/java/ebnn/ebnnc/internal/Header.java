package ebnn.ebnnc.internal;

import java.util.List;
import java.util.Map;

/**
 * An eBNN generated header as {@link HeaderReader} reads it: declarations only, no meaning yet.
 *
 * @param arrays    the weight and batch-norm arrays by name, in file order
 * @param layers    the per-layer functions by name ({@code void NAME(T* input, uint8_t* output)})
 * @param temps     the declared sizes of {@code temp1} and {@code temp2}
 * @param compute   {@code ebnn_compute}'s calls in order
 * @param inputType {@code ebnn_compute}'s input element type ("float" or "uint8_t")
 */
record Header(Map<String, ArrayDecl> arrays, Map<String, LayerDef> layers, Map<String, Integer> temps, List<Step> compute,
        String inputType, int computeLine) {

    /** {@code TYPE NAME[SIZE] = {v, ...};} with its literal values (uint8_t: 0..255; float: as C rounds them). */
    record ArrayDecl(String type, String name, int size, double[] values, int line) {
    }

    /** An argument of a layer call: an identifier or an integer literal. */
    record Arg(String identifier, Long literal, String text, int line) {
        boolean isLiteral() {
            return literal != null;
        }
    }

    /** {@code FUNCTION(arg, ...);} */
    record Call(String function, List<Arg> args, int line) {
    }

    /** {@code void NAME(T* input, uint8_t* output){ CALL }} */
    record LayerDef(String name, String inputType, Call call, int line) {
    }

    /** {@code NAME(in, out);} in {@code ebnn_compute}. */
    record Step(String layer, String in, String out, int line) {
    }
}
