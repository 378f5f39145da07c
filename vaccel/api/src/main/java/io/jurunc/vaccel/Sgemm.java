package io.jurunc.vaccel;

/**
 * BLAS sgemm: {@code C = alpha * A * B + beta * C}, row-major, A is m×k (lda), B is k×n (ldb), C is m×n (ldc).
 * {@code c} is updated in place, like vAccel's {@code vaccel_sgemm}.
 */
public record Sgemm(
        long m,
        long n,
        long k,
        float alpha,
        float[] a,
        long lda,
        float[] b,
        long ldb,
        float beta,
        float[] c,
        long ldc) {
    public Sgemm {
        if (m <= 0 || n <= 0 || k <= 0) {
            throw new VaccelException.InvalidArgumentException(
                    "sgemm dimensions must be positive: m=" + m + " n=" + n + " k=" + k);
        }
        if (lda < k || ldb < n || ldc < n) {
            throw new VaccelException.InvalidArgumentException(
                    "sgemm leading dimensions too small: lda=" + lda + " ldb=" + ldb + " ldc=" + ldc);
        }
        if (a.length < (m - 1) * lda + k || b.length < (k - 1) * ldb + n || c.length < (m - 1) * ldc + n) {
            throw new VaccelException.InvalidArgumentException("sgemm matrices are smaller than their dimensions");
        }
    }
}
