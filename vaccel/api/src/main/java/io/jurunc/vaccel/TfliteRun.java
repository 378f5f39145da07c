package io.jurunc.vaccel;

import java.util.List;
import java.util.Objects;

/** A TensorFlow Lite model run ({@code vaccel_tflite_model_run}): input tensors in model order, the number of outputs wanted. */
public record TfliteRun(Resource model, List<Tensor> inTensors, int nrOutTensors) {
    public TfliteRun {
        Objects.requireNonNull(model, "model");
        inTensors = List.copyOf(inTensors);
        if (inTensors.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("tflite model run needs at least one input tensor");
        }
        if (nrOutTensors < 0) {
            throw new VaccelException.InvalidArgumentException("negative number of output tensors: " + nrOutTensors);
        }
    }
}
