/*
 * A stand-in for jurunc-shim-holder in StartLauncherTest: records how it was started in <argv[2]>.rec
 * (argv NUL-separated; .cwd; .sid: 1 if it leads its own session; .pid), then listens on argv[1] as the
 * holder does until it is killed (at most 60 s), or exits at once with status 3 if $FAKE_HOLDER_EXIT is set.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void record(const char *file, const char *suffix, const char *data, size_t len) {
    char path[4096];
    snprintf(path, sizeof(path), "%s%s", file, suffix);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        exit(2);
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        return 2;
    }
    char file[4096];
    snprintf(file, sizeof(file), "%s.rec", argv[2]);
    static char args[65536], cwd[4096], text[32];
    size_t n = 0;
    for (int i = 0; i < argc && n + strlen(argv[i]) + 1 < sizeof(args); i++) {
        memcpy(args + n, argv[i], strlen(argv[i]) + 1);
        n += strlen(argv[i]) + 1;
    }
    if (getcwd(cwd, sizeof(cwd)) == NULL) {
        return 2;
    }
    record(file, ".cwd", cwd, strlen(cwd));
    snprintf(text, sizeof(text), "%d", getsid(0) == getpid());
    record(file, ".sid", text, strlen(text));
    snprintf(text, sizeof(text), "%d", (int)getpid());
    record(file, ".pid", text, strlen(text));
    record(file, "", args, n); /* last: the test waits for it */
    if (getenv("FAKE_HOLDER_EXIT") != NULL) {
        return 3;
    }
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strncpy(sa.sun_path, argv[1], sizeof(sa.sun_path) - 1);
    if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 16) != 0) {
        return 4;
    }
    sleep(60);
    return 0;
}
