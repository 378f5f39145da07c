package io.jurunc.vaccel.onnx;

/** Score post-processing: softmax for logits, arg-max. */
final class Scores {
    private Scores() {}

    /** The input if it already is a probability distribution, else its softmax. */
    static float[] probabilities(float[] v) {
        double sum = 0;
        boolean inRange = true;
        for (float x : v) {
            sum += x;
            inRange &= x >= 0 && x <= 1;
        }
        if (inRange && Math.abs(sum - 1) < 1e-3) {
            return v;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double total = 0;
        double[] e = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = Math.exp(v[i] - max);
            total += e[i];
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (e[i] / total);
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
