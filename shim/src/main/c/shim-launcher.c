/*
 * containerd-shim-jurunc-v2: the native front of the Java shim.
 *
 * containerd 1.6/1.7 executes `containerd-shim-jurunc-v2 ... start` for every container. When the
 * node's shim daemon is already serving, all `start` has to do is print the daemon's address and
 * write <bundle>/address; this program does exactly that without starting a JVM. When none serves
 * yet (the first container on a node), it starts the daemon itself as the JVM's StartCommand with
 * HolderDaemonLauncher would: a fresh 0700 <socket>.d, the daemon's JVM command line in
 * <socket>.d/cmdline, `setsid libexec/jurunc-shim-holder <socket> <socket>.d -- containerd-shim-jurunc-v2
 * ARGS` with stdio on /dev/null, then it waits until the socket serves. The daemon's JVM command line
 * is the one the JVM launcher script (<name>.jvm) would exec, which the script prints NUL-separated
 * when JURUNC_LAUNCHER_PRINT is set, rewritten as JvmDaemonLauncher.fromCommandLine does.
 * Everything else (`delete`, `-v`, `-info`, the daemon itself, containerd >= 2.3 bootstrap parameters
 * on stdin, JURUNC_SHIM_SCOPE=pod, no holder, any error while starting the daemon) is handed to the
 * JVM launcher with execv, same argv, same environment, and stdin replayed from a memfd.
 *
 * The socket and the lock follow io.jurunc.shim.start.StartCommand exactly:
 *   socket = <root>/<hex(sha256(<address>/<namespace>/jurunc-node))>, root = /run/containerd/s
 *            (or $JURUNC_SHIM_SOCKET_ROOT), lock = <socket>.lock (fcntl write lock on the whole
 *            file, as java.nio's FileLock takes it; a lock file replaced meanwhile is retaken).
 *
 * Built by cli/src/main/dist/make-dist.sh (gcc -O2 -static); tested by StartLauncherTest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ftw.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define JVM_SUFFIX ".jvm"
#define NODE_GROUP "jurunc-node"
#define DEFAULT_ROOT "/run/containerd/s"
#define PATH_LIMIT 106
#define STDIN_LIMIT (1 << 20)

/* ---- SHA-256 (FIPS 180-4) ---- */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256_hex(const unsigned char *msg, size_t len, char out[65]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64) {
        sha256_block(h, msg + i);
    }
    unsigned char tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, msg + full, rest);
    tail[rest] = 0x80;
    size_t tlen = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) {
        tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
    }
    for (size_t i = 0; i < tlen; i += 64) {
        sha256_block(h, tail + i);
    }
    for (int i = 0; i < 8; i++) {
        snprintf(out + 8 * i, 9, "%08x", h[i]);
    }
}

/* ---- hand-over to the JVM ---- */
static char jvm_path[PATH_MAX];

static void exec_jvm(char **argv, const unsigned char *in, size_t in_len) {
    if (in_len > 0) {
        int fd = memfd_create("shim-stdin", MFD_CLOEXEC);
        if (fd < 0 || write(fd, in, in_len) != (ssize_t)in_len || lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, 0) < 0) {
            fprintf(stderr, "containerd-shim-jurunc-v2: cannot replay stdin: %s\n", strerror(errno));
            exit(1);
        }
    }
    const char *override = getenv("JURUNC_SHIM_JVM");
    const char *target = override != NULL && override[0] != '\0' ? override : jvm_path;
    argv[0] = (char *)target;
    execv(target, argv);
    fprintf(stderr, "containerd-shim-jurunc-v2: cannot run %s: %s\n", target, strerror(errno));
    exit(1);
}

/* ---- Go flag parsing, the subset containerd passes ---- */
struct flags {
    const char *ns, *address, *id, *action, *publish;
    int debug;
    int other; /* -v, -info, -socket or an unknown flag: not ours to answer */
};

static void parse(int argc, char **argv, struct flags *f) {
    static const char *strs[] = {"namespace", "address", "publish-binary", "id", "bundle", "socket", NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            f->action = i + 1 < argc ? argv[i + 1] : NULL;
            return;
        }
        if (a[0] != '-' || a[1] == '\0') {
            f->action = a;
            return;
        }
        const char *body = a[1] == '-' ? a + 2 : a + 1;
        const char *eq = strchr(body, '=');
        size_t n = eq != NULL ? (size_t)(eq - body) : strlen(body);
        int is_str = -1;
        for (int k = 0; strs[k] != NULL; k++) {
            if (strlen(strs[k]) == n && strncmp(body, strs[k], n) == 0) {
                is_str = k;
            }
        }
        if (is_str < 0) {
            if (!(n == 5 && strncmp(body, "debug", 5) == 0)) {
                f->other = 1;
            } else {
                f->debug = eq == NULL || strcasecmp(eq + 1, "true") == 0; /* as Boolean.parseBoolean */
            }
            continue;
        }
        const char *v = eq != NULL ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (v == NULL) {
            f->other = 1;
            return;
        }
        switch (is_str) {
        case 0: f->ns = v; break;
        case 1: f->address = v; break;
        case 2: f->publish = v; break;
        case 3: f->id = v; break;
        case 5: f->other = 1; break;
        default: break;
        }
    }
}

static size_t read_stdin(unsigned char *buf, size_t cap) {
    size_t len = 0;
    for (;;) {
        ssize_t r = read(0, buf + len, cap - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return len;
        }
        len += (size_t)r;
        if (len == cap) {
            return len;
        }
    }
}

static int connectable(const char *path) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return 0;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    if (n >= sizeof(sa.sun_path)) {
        close(s);
        return 0;
    }
    memcpy(sa.sun_path, path, n + 1);
    int ok = connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(s);
    return ok;
}

/* Takes the group's start lock; returns its fd, or -1 (then the JVM decides). */
static int take_lock(const char *lock) {
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            return -1;
        }
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        int r;
        while ((r = fcntl(fd, F_SETLKW, &fl)) < 0 && errno == EINTR) {
        }
        struct stat held, now;
        if (r == 0 && fstat(fd, &held) == 0 && stat(lock, &now) == 0 && held.st_ino == now.st_ino
                && held.st_dev == now.st_dev) {
            return fd;
        }
        close(fd); /* removed or replaced by an exiting daemon: take the current one */
        if (r < 0) {
            return -1;
        }
    }
    return -1;
}

static int write_address(const char *bundle, const char *uri) {
    char file[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(file, sizeof(file), "%s/address", bundle) >= (int)sizeof(file)
            || snprintf(tmp, sizeof(tmp), "%s/.address.tmp", bundle) >= (int)sizeof(tmp)) {
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -1;
    }
    size_t n = strlen(uri);
    int ok = write(fd, uri, n) == (ssize_t)n;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, file) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ---- the first container on a node: start the daemon behind the holder, as the JVM's start would ---- */
#define NAME_PROPERTY "-Djurunc.shim=containerd-shim-jurunc-v2"
#define HOME_PROPERTY "-Djurunc.home="
#define PRINT_ENV "JURUNC_LAUNCHER_PRINT"
#define HOLDER_ENV "JURUNC_SHIM_HOLDER"
#define HOLDER_BINARY "jurunc-shim-holder"
#define SOCKET_PATH_LIMIT 107 /* HolderDaemonLauncher.SOCKET_PATH_LIMIT */
#define READY_TIMEOUT_MS 15000 /* StartCommand.DAEMON_READY_TIMEOUT */
#define CMD_LIMIT (256 * 1024)
#define ARG_LIMIT 1024
/* JvmDaemonLauncher.DAEMON_FLAGS, in order */
static const char *const DAEMON_FLAGS[] = {
    "-Xms4m", "-Xmx256m", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=16m", NULL};

struct buf {
    char data[CMD_LIMIT];
    size_t len;
    int overflow;
};

static void put(struct buf *b, const char *s) {
    size_t n = strlen(s) + 1;
    if (b->len + n > sizeof(b->data)) {
        b->overflow = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static int is_daemon_flag(const char *a) {
    if (strcmp(a, NAME_PROPERTY) == 0) {
        return 1;
    }
    for (int i = 0; DAEMON_FLAGS[i] != NULL; i++) {
        if (strcmp(a, DAEMON_FLAGS[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int is_elf(const char *path) {
    unsigned char magic[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    int ok = read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;
    close(fd);
    return ok;
}

/* The JVM launcher's command line (java, its options, main class), NUL-separated, from the launcher
 * script in print mode; 0 if it was printed, -1 otherwise (an older script is not run). */
static int launcher_command(const char *script, struct buf *out) {
    int fd = open(script, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    static char text[64 * 1024 + 1];
    ssize_t n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    text[n] = '\0';
    if (strncmp(text, "#!", 2) != 0 || strstr(text, PRINT_ENV) == NULL) {
        return -1;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(p[1], 1) < 0 || setenv(PRINT_ENV, "1", 1) != 0) {
            _exit(127);
        }
        char *argv[] = {(char *)script, NULL};
        execv(script, argv);
        _exit(127);
    }
    close(p[1]);
    out->len = 0;
    for (;;) {
        ssize_t r = read(p[0], out->data + out->len, sizeof(out->data) - out->len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        out->len += (size_t)r;
        if (out->len == sizeof(out->data)) {
            out->overflow = 1;
            break;
        }
    }
    close(p[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (out->overflow || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->len == 0
            || out->data[out->len - 1] != '\0') {
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* HolderDaemonLauncher.fresh: what an earlier holder left is removed, the directory made again (0700). */
static int fresh_dir(const char *dir) {
    struct stat st;
    if (lstat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
                return -1;
            }
        } else if (unlink(dir) != 0) {
            return -1;
        }
    } else if (errno != ENOENT) {
        return -1;
    }
    return mkdir(dir, 0700);
}

static int write_all(const char *file, const char *data, size_t len) {
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    return close(fd);
}

/* StartCommand.adjustOomScore: the daemon's score is the caller's plus one (best effort). */
static void adjust_oom_score(pid_t pid) {
    char own[32] = {0}, file[64], value[32];
    int fd = open("/proc/self/oom_score_adj", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    ssize_t n = read(fd, own, sizeof(own) - 1);
    close(fd);
    char *end;
    long score = n > 0 ? strtol(own, &end, 10) : 0;
    if (n <= 0 || end == own || (*end != '\n' && *end != '\0')) {
        return;
    }
    snprintf(file, sizeof(file), "/proc/%d/oom_score_adj", (int)pid);
    snprintf(value, sizeof(value), "%ld", score + 1 < 1000 ? score + 1 : 1000);
    fd = open(file, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, value, strlen(value)) < 0) {
            /* not fatal: the daemon keeps the default score */
        }
        close(fd);
    }
}

/* Under the start lock, with no daemon serving: starts the node daemon behind the holder and waits until
 * it serves. 0 once it serves; -1 if this cannot be done as the JVM would (then the JVM does it). */
static int start_daemon(const char *script, const char *root, const char *socket_path, const struct flags *f) {
    const char *configured = getenv(HOLDER_ENV);
    if (configured != NULL && strcmp(configured, "none") == 0) {
        return -1; /* the JVM alone, started by the JVM */
    }
    /* the socket's directory as java.nio.file.Path spells it */
    if (root[0] != '/' || strstr(root, "//") != NULL || root[strlen(root) - 1] == '/') {
        return -1;
    }
    static struct buf printed, cmd;
    if (launcher_command(script, &printed) != 0) {
        return -1;
    }
    const char *args[ARG_LIMIT];
    size_t argc = 0;
    for (size_t i = 0; i < printed.len && argc < ARG_LIMIT; i += strlen(printed.data + i) + 1) {
        args[argc++] = printed.data + i;
    }
    if (argc < 2 || argc == ARG_LIMIT || args[0][0] != '/') {
        return -1;
    }
    /* ProcessHandle.Info.command() is /proc/<pid>/exe: the java binary with its links resolved */
    static char java[PATH_MAX];
    if (realpath(args[0], java) == NULL || !is_elf(java)) {
        return -1; /* a wrapper script (JURUNC_JAVA): which binary it ends in is known only once it runs */
    }
    const char *home = NULL; /* System.getProperty("jurunc.home"): the last definition wins */
    for (size_t i = 1; i < argc; i++) {
        if (strncmp(args[i], HOME_PROPERTY, sizeof(HOME_PROPERTY) - 1) == 0) {
            home = args[i] + sizeof(HOME_PROPERTY) - 1;
        }
    }
    static char holder[PATH_MAX];
    if (configured != NULL && configured[0] != '\0') {
        if (snprintf(holder, sizeof(holder), "%s", configured) >= (int)sizeof(holder)) {
            return -1;
        }
    } else if (home == NULL || home[0] == '\0'
            || snprintf(holder, sizeof(holder), "%s/libexec/%s", home, HOLDER_BINARY) >= (int)sizeof(holder)) {
        return -1;
    }
    if (access(holder, X_OK) != 0) {
        return -1;
    }
    char dir[PATH_MAX], private_socket[PATH_MAX], cmdline[PATH_MAX];
    if (snprintf(dir, sizeof(dir), "%s.d", socket_path) >= (int)sizeof(dir)
            || snprintf(private_socket, sizeof(private_socket), "%s/s", dir) > SOCKET_PATH_LIMIT
            || snprintf(cmdline, sizeof(cmdline), "%s/cmdline", dir) >= (int)sizeof(cmdline)) {
        return -1; /* no room for the private socket: the JVM runs the daemon without a holder */
    }

    /* JvmDaemonLauncher.fromCommandLine, then ShimFlags.daemonArgs */
    const char *daemon_args[16];
    size_t dn = 0;
    daemon_args[dn++] = "-namespace";
    daemon_args[dn++] = f->ns;
    daemon_args[dn++] = "-id";
    daemon_args[dn++] = NODE_GROUP;
    daemon_args[dn++] = "-address";
    daemon_args[dn++] = f->address;
    if (f->publish != NULL && f->publish[0] != '\0') {
        daemon_args[dn++] = "-publish-binary";
        daemon_args[dn++] = f->publish;
    }
    if (f->debug) {
        daemon_args[dn++] = "-debug";
    }
    daemon_args[dn++] = "-socket";
    daemon_args[dn++] = socket_path;
    cmd.len = 0;
    put(&cmd, java);
    put(&cmd, NAME_PROPERTY);
    for (int i = 0; DAEMON_FLAGS[i] != NULL; i++) {
        put(&cmd, DAEMON_FLAGS[i]);
    }
    for (size_t i = 1; i < argc; i++) {
        if (!is_daemon_flag(args[i])) {
            put(&cmd, args[i]);
        }
    }
    for (size_t i = 0; i < dn; i++) {
        put(&cmd, daemon_args[i]);
    }
    if (cmd.overflow) {
        return -1;
    }
    char *holder_argv[24];
    size_t hn = 0;
    holder_argv[hn++] = holder;
    holder_argv[hn++] = (char *)socket_path;
    holder_argv[hn++] = dir;
    holder_argv[hn++] = "--";
    holder_argv[hn++] = "containerd-shim-jurunc-v2";
    for (size_t i = 0; i < dn; i++) {
        holder_argv[hn++] = (char *)daemon_args[i];
    }
    holder_argv[hn] = NULL;

    if ((unlink(socket_path) != 0 && errno != ENOENT) || fresh_dir(dir) != 0
            || write_all(cmdline, cmd.data, cmd.len) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        /* as `setsid holder ...` started by ProcessBuilder in the socket directory, stdio on /dev/null */
        int null = open("/dev/null", O_RDWR);
        if (setsid() < 0 || chdir(root) != 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0
                || dup2(null, 2) < 0) {
            _exit(127);
        }
        if (null > 2) {
            close(null);
        }
        execv(holder, holder_argv);
        _exit(127);
    }
    adjust_oom_score(pid);
    /* probed every 2 ms (the holder probes its JVM as often): the socket serves on the first one after */
    struct timespec start, now, pause = {.tv_sec = 0, .tv_nsec = 2 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (connectable(socket_path)) {
            return 0;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return -1; /* exited before serving: the JVM tries again and reports why */
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 > READY_TIMEOUT_MS) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -1;
        }
        nanosleep(&pause, NULL);
    }
}

int main(int argc, char **argv) {
    ssize_t self = readlink("/proc/self/exe", jvm_path, sizeof(jvm_path) - sizeof(JVM_SUFFIX));
    if (self <= 0) {
        fprintf(stderr, "containerd-shim-jurunc-v2: cannot read /proc/self/exe: %s\n", strerror(errno));
        return 1;
    }
    jvm_path[self] = '\0';
    strcat(jvm_path, JVM_SUFFIX);

    struct flags f = {0};
    parse(argc, argv, &f);
    const char *scope = getenv("JURUNC_SHIM_SCOPE");
    if (f.action == NULL || strcmp(f.action, "start") != 0 || f.other || f.ns == NULL || f.ns[0] == '\0'
            || f.address == NULL || f.address[0] == '\0' || f.id == NULL || f.id[0] == '\0'
            || (scope != NULL && scope[0] != '\0' && strcmp(scope, "node") != 0)) {
        exec_jvm(argv, NULL, 0);
    }
    static unsigned char in[STDIN_LIMIT];
    size_t in_len = read_stdin(in, sizeof(in));
    if (in_len > 0) {
        /* runtime options or containerd >= 2.3 bootstrap parameters: the JVM decodes them */
        exec_jvm(argv, in, in_len);
    }

    const char *root = getenv("JURUNC_SHIM_SOCKET_ROOT");
    if (root == NULL || root[0] == '\0') {
        root = DEFAULT_ROOT;
    }
    size_t klen = strlen(f.address) + strlen(f.ns) + sizeof(NODE_GROUP) + 2;
    char *key = malloc(klen);
    if (key == NULL) {
        exec_jvm(argv, NULL, 0);
    }
    snprintf(key, klen, "%s/%s/%s", f.address, f.ns, NODE_GROUP);
    char hex[65];
    sha256_hex((const unsigned char *)key, strlen(key), hex);
    free(key);
    char socket_path[PATH_MAX], lock[PATH_MAX + 8], uri[PATH_MAX + 8];
    int sl = snprintf(socket_path, sizeof(socket_path), "%s/%s", root, hex);
    if (sl < 0 || sl > PATH_LIMIT) {
        exec_jvm(argv, NULL, 0); /* the JVM reports the length error */
    }
    snprintf(lock, sizeof(lock), "%s.lock", socket_path);
    snprintf(uri, sizeof(uri), "unix://%s", socket_path);

    /* containerd runs `start` in the bundle (as StartCommand, -bundle is not consulted) */
    char bundle[PATH_MAX];
    if (getcwd(bundle, sizeof(bundle)) == NULL) {
        exec_jvm(argv, NULL, 0);
    }

    mkdir(root, 0777); /* as StartCommand's Files.createDirectories (containerd's runc shims make it too) */
    int lfd = take_lock(lock);
    if (lfd < 0) {
        exec_jvm(argv, NULL, 0);
    }
    if (!connectable(socket_path)) {
        const char *override = getenv("JURUNC_SHIM_JVM");
        if (start_daemon(override != NULL && override[0] != '\0' ? override : jvm_path, root, socket_path, &f) != 0) {
            close(lfd); /* releases the lock: the JVM's start takes it again and launches the daemon */
            exec_jvm(argv, NULL, 0);
        }
    }
    if (write_address(bundle, uri) != 0) {
        fprintf(stderr, "containerd-shim-jurunc-v2: cannot write %s/address: %s\n", bundle, strerror(errno));
        return 1;
    }
    close(lfd);
    size_t n = strlen(uri);
    if (write(1, uri, n) != (ssize_t)n) {
        return 1;
    }
    return 0;
}
