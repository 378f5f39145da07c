/* Main library of a multi-blob resource: dep_scale is left undefined here and resolved from libdep. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct vaccel_arg { void *buf; size_t size; uint32_t type; uint32_t custom_type_id; bool owned; };
extern int dep_scale(int x);
int scaled(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
    if (nr_read != 1 || nr_write != 1)
        return 1;
    *(int *)write[0].buf = dep_scale(*(int *)read[0].buf);
    return 0;
}
