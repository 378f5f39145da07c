package io.jurunc.vaccel;

import java.util.Objects;

/**
 * vAccel's (deprecated) {@code vaccel_torch_sgemm(sess, A, B, C, M, N, K, out)}: float tensors A (M×K),
 * B (K×N) and C (M×N); the plugin writes {@code out = A·B + C} (M×N). The formula is our reading of the
 * torch plugin; vAccel documents only the signature.
 */
public record TorchSgemm(Tensor a, Tensor b, Tensor c, int m, int n, int k) {
    public TorchSgemm {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        if (m <= 0 || n <= 0 || k <= 0) {
            throw new VaccelException.InvalidArgumentException(
                    "torch sgemm dimensions must be positive: M=" + m + " N=" + n + " K=" + k);
        }
        for (Tensor t : new Tensor[] {a, b, c}) {
            if (t.type() != DataType.FLOAT) {
                throw new VaccelException.InvalidArgumentException("torch sgemm needs FLOAT tensors, got " + t.type());
            }
        }
        if (a.data().length != 4L * m * k || b.data().length != 4L * k * n || c.data().length != 4L * m * n) {
            throw new VaccelException.InvalidArgumentException(
                    "torch sgemm tensors do not match M=" + m + " N=" + n + " K=" + k);
        }
    }
}
