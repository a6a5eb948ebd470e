package dev.facerec.recognition.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * Runs a layer so that its input and its intermediates are freed the moment it returns. Left to the call's scope,
 * every op of a forward pass would get fresh memory, and first-touch page faults then cost more than the maths
 * (measured here: a ReLU over 1M floats took 5 ms into new memory, 0.2 ms into reused memory).
 */
final class Scoped {

    private Scoped() {
    }

    /** {@code layer(input)}, kept in the input's manager; the input itself is freed. */
    static NDArray apply(NDArray input, UnaryOperator<NDArray> layer) {
        NDManager owner = input.getManager();
        try (NDManager layerScope = owner.newSubManager()) {
            input.attach(layerScope);
            NDArray output = layer.apply(input); // ops put their results in their receiver's manager: layerScope
            output.attach(owner);
            return output;
        }
    }
}
