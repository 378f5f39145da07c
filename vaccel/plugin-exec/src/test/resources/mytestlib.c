/* Test library with vAccel's exec ABI. The struct mirrors vAccel's include/vaccel/arg.h. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vaccel_arg {
    void *buf;
    size_t size;
    uint32_t type; /* vaccel_arg_type_t (an enum) */
    uint32_t custom_type_id;
    bool owned;
};

/* Like vAccel's examples/mytestlib.c: reads one int, writes twice its value. */
int mytestfunc(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read < 1 || nr_write < 1 || read[0].size != sizeof(int) || write[0].size != sizeof(int))
        return 1;
    *(int *)write[0].buf = 2 * *(int *)read[0].buf;
    return 0;
}

/* Reports what the library sees: struct size and field offsets, types, sizes, and the joined strings. */
int describe(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_write < 2 || write[0].size < 8 * sizeof(int64_t))
        return 3;
    int64_t *o = write[0].buf;
    o[0] = sizeof(struct vaccel_arg);
    o[1] = offsetof(struct vaccel_arg, size);
    o[2] = offsetof(struct vaccel_arg, type);
    o[3] = offsetof(struct vaccel_arg, custom_type_id);
    o[4] = (int64_t)nr_read;
    o[5] = nr_read > 0 ? (int64_t)read[0].type : -1;
    o[6] = nr_read > 0 ? (int64_t)read[0].custom_type_id : -1;
    o[7] = nr_read > 0 ? (int64_t)read[0].size : -1;
    char *text = write[1].buf;
    size_t cap = write[1].size, used = 0;
    for (size_t i = 0; i < nr_read; i++) {
        if (read[i].type != 27 /* STRING */)
            continue;
        size_t n = strlen(read[i].buf);
        if (used + n + 1 >= cap)
            return 4;
        memcpy(text + used, read[i].buf, n);
        used += n;
        text[used++] = '|';
    }
    text[used] = 0;
    return 0;
}

/* Sums a FLOAT32_ARRAY into a FLOAT32. */
int sumfloats(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read != 1 || nr_write != 1 || read[0].type != 18 || write[0].size != sizeof(float))
        return 5;
    float s = 0;
    const float *f = read[0].buf;
    for (size_t i = 0; i < read[0].size / sizeof(float); i++)
        s += f[i];
    *(float *)write[0].buf = s;
    return 0;
}

int fails(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    return 7;
}
