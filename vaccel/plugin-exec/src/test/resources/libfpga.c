/* FPGA ops for the exec plugin's VACCEL_EXEC_FPGA_LIBRARY, with vAccel's exec ABI and the ops' genop layouts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vaccel_arg {
    void *buf;
    size_t size;
    uint32_t type;
    uint32_t custom_type_id;
    bool owned;
};

int vaccel_fpga_arraycopy(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read != 1 || nr_write != 1 || write[0].size < read[0].size)
        return 1;
    memcpy(write[0].buf, read[0].buf, read[0].size);
    return 0;
}

int vaccel_fpga_vadd(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read != 2 || nr_write != 1)
        return 1;
    size_t n = read[0].size / sizeof(float);
    float *a = read[0].buf, *b = read[1].buf, *c = write[0].buf;
    for (size_t i = 0; i < n; i++)
        c[i] = a[i] + b[i];
    return 0;
}

int vaccel_fpga_parallel(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read != 2 || nr_write != 2)
        return 1;
    size_t n = read[0].size / sizeof(float);
    float *a = read[0].buf, *b = read[1].buf, *add = write[0].buf, *mul = write[1].buf;
    for (size_t i = 0; i < n; i++) {
        add[i] = a[i] + b[i];
        mul[i] = a[i] * b[i];
    }
    return 0;
}
