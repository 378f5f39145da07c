/* Uses an undefined function in a function that is never called: RTLD_NOW refuses it, RTLD_LAZY loads it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct vaccel_arg { void *buf; size_t size; uint32_t type; uint32_t custom_type_id; bool owned; };
extern int jurunc_missing_function(void);
int never_called(void) { return jurunc_missing_function(); }
int ok(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write) { return 0; }
