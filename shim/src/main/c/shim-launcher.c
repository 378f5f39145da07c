/*
 * containerd-shim-jurunc-v2: the native front of the Java shim.
 *
 * containerd 1.6/1.7 executes `containerd-shim-jurunc-v2 ... start` for every container. When the
 * node's shim daemon is already serving, all `start` has to do is print the daemon's address and
 * write <bundle>/address; this program does exactly that without starting a JVM. Everything else
 * (the first container on a node, `delete`, `-v`, `-info`, the daemon itself, containerd >= 2.3
 * bootstrap parameters on stdin, JURUNC_SHIM_SCOPE=pod) is handed to the JVM launcher with execv,
 * same argv, same environment, and stdin replayed from a memfd.
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
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
    const char *ns, *address, *id, *action;
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

    int lfd = take_lock(lock);
    if (lfd < 0) {
        exec_jvm(argv, NULL, 0);
    }
    if (!connectable(socket_path)) {
        close(lfd); /* releases the lock: the JVM's start takes it again and launches the daemon */
        exec_jvm(argv, NULL, 0);
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
