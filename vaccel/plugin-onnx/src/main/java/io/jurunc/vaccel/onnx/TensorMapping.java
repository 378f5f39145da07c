package io.jurunc.vaccel.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.jurunc.vaccel.DataType;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.VaccelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** vAccel tensors to and from ONNX Runtime tensors (raw little-endian data, same element types). */
final class TensorMapping {
    private TensorMapping() {}

    static OnnxJavaType toOnnx(DataType t) {
        return switch (t) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case HALF -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            default ->
                throw new VaccelException(Errno.ENOTSUP, "tensor type " + t + " is not supported by the onnx plugin");
        };
    }

    static DataType fromOnnx(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> DataType.FLOAT;
            case DOUBLE -> DataType.DOUBLE;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOL;
            case FLOAT16 -> DataType.HALF;
            case BFLOAT16 -> DataType.BFLOAT16;
            default -> throw new VaccelException(Errno.ENOTSUP, "ONNX output type " + t + " has no vAccel tensor type");
        };
    }

    static OnnxTensor toOnnx(OrtEnvironment env, Tensor t) throws OrtException {
        ByteBuffer data = ByteBuffer.allocateDirect(t.data().length).order(ByteOrder.nativeOrder());
        data.put(t.data()).flip();
        return OnnxTensor.createTensor(env, data, t.dims(), toOnnx(t.type()));
    }

    static Tensor fromOnnx(OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return new Tensor(fromOnnx(t.getInfo().type), t.getInfo().getShape(), data);
    }
}
