package ebnn.ebnnc.internal;

import java.util.List;

/**
 * The translator of one of eBNN's layer functions (c/ebnn.h): its parameter list as eBNN declares
 * it and the float-IR layers a call with literal arguments becomes. One entry of {@link LayerFunctions}.
 */
interface LayerFunction {
    /** eBNN's function name, e.g. "bconv_layer". */
    String name();

    /** eBNN's parameter names in order, e.g. A, F, C, Bias, ..., m, num_f, w, ... */
    List<String> parameters();

    /** One line for the docs and the error that lists the known functions. */
    String summary();

    /** Appends the call's layers to {@code walk}, checking its arrays and literals against the layer. */
    void translate(HeaderWalker.Call call, HeaderWalker walk);
}
