package io.jurunc.vaccel;

import java.util.List;
import java.util.Objects;

/**
 * A generic model run (vAccel's tf model run layout): input nodes with their tensors, and the output nodes
 * wanted. An empty {@code outNodes} list asks for every output of the model.
 */
public record ModelRun(
        Resource model, byte[] runOptions, List<Node> inNodes, List<Tensor> inTensors, List<Node> outNodes) {
    public ModelRun {
        Objects.requireNonNull(model, "model");
        inNodes = List.copyOf(inNodes);
        inTensors = List.copyOf(inTensors);
        outNodes = List.copyOf(outNodes);
        if (inNodes.size() != inTensors.size()) {
            throw new VaccelException.InvalidArgumentException(
                    "model run has " + inNodes.size() + " input nodes but " + inTensors.size() + " tensors");
        }
        if (inNodes.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("model run needs at least one input");
        }
    }
}
