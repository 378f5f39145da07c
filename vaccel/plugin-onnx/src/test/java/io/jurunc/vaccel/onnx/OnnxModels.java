package io.jurunc.vaccel.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes small real ONNX models by hand-encoding the ONNX protobuf (onnx.proto field numbers) with
 * CodedOutputStream: IR version 8, default-domain opset 13.
 */
public final class OnnxModels {
    private OnnxModels() {}

    /** A protobuf message under construction. */
    static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Msg str(int field, String s) {
            try {
                out.writeString(field, s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg i64(int field, long v) {
            try {
                out.writeInt64(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg f32(int field, float v) {
            try {
                out.writeFloat(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg bytes(int field, byte[] b) {
            try {
                out.writeByteArray(field, b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg msg(int field, Msg m) {
            return bytes(field, m.toBytes());
        }

        byte[] toBytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buf.toByteArray();
        }
    }

    static final int FLOAT = 1;
    static final int INT64 = 7;

    /** TensorProto: dims=1, data_type=2, name=8, raw_data=9. */
    static Msg floatTensor(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        return t.i64(2, FLOAT).str(8, name).bytes(9, b.array());
    }

    static Msg int64Tensor(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        return t.i64(2, INT64).str(8, name).bytes(9, b.array());
    }

    /** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5. */
    static Msg node(String op, String[] inputs, String[] outputs, Msg... attrs) {
        Msg n = new Msg();
        for (String i : inputs) {
            n.str(1, i);
        }
        for (String o : outputs) {
            n.str(2, o);
        }
        n.str(3, op + "_" + outputs[0]).str(4, op);
        for (Msg a : attrs) {
            n.msg(5, a);
        }
        return n;
    }

    /** AttributeProto ints: name=1, ints=8, type=20 (INTS=7). */
    static Msg intsAttr(String name, long... v) {
        Msg a = new Msg().str(1, name);
        for (long x : v) {
            a.i64(8, x);
        }
        return a.i64(20, 7);
    }

    /** AttributeProto int: name=1, i=3, type=20 (INT=2). */
    static Msg intAttr(String name, long v) {
        return new Msg().str(1, name).i64(3, v).i64(20, 2);
    }

    /** AttributeProto tensor: name=1, t=5, type=20 (TENSOR=4). */
    static Msg tensorAttr(String name, Msg tensor) {
        return new Msg().str(1, name).msg(5, tensor).i64(20, 4);
    }

    /** ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1}}}}}. */
    static Msg valueInfo(String name, long... dims) {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.msg(1, new Msg().i64(1, d));
        }
        Msg tensorType = new Msg().i64(1, FLOAT).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    }

    /** ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8{domain=1, version=2}}. */
    static byte[] model(Msg graph) {
        return new Msg()
                .i64(1, 8)
                .str(2, "jurunc-test")
                .msg(7, graph)
                .msg(8, new Msg().str(1, "").i64(2, 13))
                .toBytes();
    }

    /**
     * Colour classifier: image [1,3,32,32] → 1×1 conv (one "this colour minus the others" detector per
     * class: red, green, blue) → global average pool → flatten → ×scale → softmax → probs [1,3].
     */
    public static byte[] colourClassifier(float scale) {
        Msg g = new Msg();
        g.msg(1, node("Conv", new String[] {"image", "W", "B"}, new String[] {"feat"}, intsAttr("kernel_shape", 1, 1)));
        g.msg(1, node("GlobalAveragePool", new String[] {"feat"}, new String[] {"pooled"}));
        g.msg(1, node("Flatten", new String[] {"pooled"}, new String[] {"flat"}, intAttr("axis", 1)));
        g.msg(1, node("Mul", new String[] {"flat", "scale"}, new String[] {"logits"}));
        g.msg(1, node("Softmax", new String[] {"logits"}, new String[] {"probs"}, intAttr("axis", 1)));
        g.str(2, "colour_classifier");
        g.msg(5, floatTensor("W", new long[] {3, 3, 1, 1}, 2, -1, -1, -1, 2, -1, -1, -1, 2));
        g.msg(5, floatTensor("B", new long[] {3}, 0, 0, 0));
        g.msg(5, floatTensor("scale", new long[] {1}, scale));
        g.msg(11, valueInfo("image", 1, 3, 32, 32));
        g.msg(12, valueInfo("probs", 1, 3));
        return model(g);
    }

    /**
     * Red-region detector: image [1,3,64,64] → 1×1 conv (2R − G − B − 1) → 32×32 average pool per quadrant
     * → reshape [1,4] → sigmoid = scores; boxes [1,4,4] are the four quadrants (constant).
     */
    public static byte[] redQuadrantDetector() {
        Msg g = new Msg();
        g.msg(
                1,
                node(
                        "Conv",
                        new String[] {"image", "Wd", "Bd"},
                        new String[] {"redness"},
                        intsAttr("kernel_shape", 1, 1)));
        g.msg(
                1,
                node(
                        "AveragePool",
                        new String[] {"redness"},
                        new String[] {"cells"},
                        intsAttr("kernel_shape", 32, 32),
                        intsAttr("strides", 32, 32)));
        g.msg(1, node("Reshape", new String[] {"cells", "shape"}, new String[] {"cell_logits"}));
        g.msg(1, node("Sigmoid", new String[] {"cell_logits"}, new String[] {"scores"}));
        g.msg(
                1,
                node(
                        "Constant",
                        new String[] {},
                        new String[] {"boxes"},
                        tensorAttr(
                                "value",
                                floatTensor(
                                        "quadrants",
                                        new long[] {1, 4, 4},
                                        0,
                                        0,
                                        .5f,
                                        .5f,
                                        .5f,
                                        0,
                                        1,
                                        .5f,
                                        0,
                                        .5f,
                                        .5f,
                                        1,
                                        .5f,
                                        .5f,
                                        1,
                                        1))));
        g.str(2, "red_detector");
        g.msg(5, floatTensor("Wd", new long[] {1, 3, 1, 1}, 2, -1, -1));
        g.msg(5, floatTensor("Bd", new long[] {1}, -1));
        g.msg(5, int64Tensor("shape", new long[] {2}, 1, 4));
        g.msg(11, valueInfo("image", 1, 3, 64, 64));
        g.msg(12, valueInfo("boxes", 1, 4, 4));
        g.msg(12, valueInfo("scores", 1, 4));
        return model(g);
    }
}
