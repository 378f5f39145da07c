package io.jurunc.vaccel;

import java.util.List;
import java.util.Objects;

/**
 * A Torch model run ({@code vaccel_torch_model_run}): optional run options, input tensors in model order,
 * the number of outputs wanted.
 */
public record TorchRun(Resource model, byte[] runOptions, List<Tensor> inTensors, int nrOutTensors) {
    public TorchRun {
        Objects.requireNonNull(model, "model");
        inTensors = List.copyOf(inTensors);
        if (inTensors.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("torch model run needs at least one input tensor");
        }
        if (nrOutTensors < 0) {
            throw new VaccelException.InvalidArgumentException("negative number of output tensors: " + nrOutTensors);
        }
    }
}
