/* The test module of jurunc's WASM sandbox: one WASI command, a mode per first argument.
 * Built by the tests with clang --target=wasm32-wasi --sysroot=/usr and run by jurunc and by Node's WASI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>

static int cat(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("open %s: %s\n", path, errno == ENOENT ? "ENOENT" : "error");
        return 2;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

static int put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("cannot write %s\n", path);
        return 3;
    }
    fputs(text, f);
    fclose(f);
    printf("wrote %s\n", path);
    return 0;
}

static unsigned long long spin(unsigned long long n) {
    /* CPU-bound: an LCG and a small sieve, nothing the optimiser can fold away */
    unsigned long long x = 88172645463325252ULL, acc = 0;
    for (unsigned long long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        acc += x % 1000003;
    }
    return acc;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "hello";
    if (!strcmp(mode, "hello")) {
        printf("hello from wasm\n");
        return 0;
    }
    if (!strcmp(mode, "args")) {
        for (int i = 0; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
        return 0;
    }
    if (!strcmp(mode, "env")) {
        for (int i = 2; i < argc; i++) {
            const char *v = getenv(argv[i]);
            printf("%s=%s\n", argv[i], v ? v : "(unset)");
        }
        return 0;
    }
    if (!strcmp(mode, "cat") && argc > 2) return cat(argv[2]);
    if (!strcmp(mode, "write") && argc > 3) return put(argv[2], argv[3]);
    if (!strcmp(mode, "stdin")) {
        char buf[4096];
        size_t n, total = 0;
        while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
            for (size_t i = 0; i < n; i++) if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
            fwrite(buf, 1, n, stdout);
            total += n;
        }
        printf("\n%zu bytes\n", total);
        return 0;
    }
    if (!strcmp(mode, "exit") && argc > 2) {
        fprintf(stderr, "exiting with %s\n", argv[2]);
        exit(atoi(argv[2]));
    }
    if (!strcmp(mode, "trap")) {
        printf("before the trap\n");
        fflush(stdout);
        __builtin_trap();
    }
    if (!strcmp(mode, "alloc") && argc > 2) {
        int want = atoi(argv[2]), got = 0;
        static char *volatile kept[4096];
        for (; got < want && got < 4096; got++) {
            char *p = malloc(1024 * 1024);
            if (!p) break;
            memset(p, got, 1024 * 1024);
            kept[got] = p; /* kept live: the optimiser may not drop the allocation */
        }
        printf("allocated %d of %d MiB\n", got, want);
        return got == want ? 0 : 4;
    }
    if (!strcmp(mode, "loop")) {
        printf("looping\n");
        fflush(stdout);
        volatile unsigned long long i = 0;
        for (;;) i++;
    }
    if (!strcmp(mode, "spin") && argc > 2) {
        printf("%llu\n", spin(strtoull(argv[2], 0, 10)));
        return 0;
    }
    if (!strcmp(mode, "clock")) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        clock_gettime(CLOCK_REALTIME, &b);
        unsigned char r[16] = {0};
        arc4random_buf(r, sizeof r);
        int nonzero = 0;
        for (int i = 0; i < 16; i++) nonzero |= r[i];
        printf("monotonic=%s realtime_after_2020=%s random=%s\n", a.tv_sec >= 0 ? "ok" : "bad",
               b.tv_sec > 1577836800 ? "yes" : "no", nonzero ? "ok" : "zero");
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 64;
}
