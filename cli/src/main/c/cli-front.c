/*
 * jurunc: the native front of the runc-compatible CLI.
 *
 * containerd's runc shim, Docker and Podman run `jurunc create`, `start`, `state`, `kill` and `delete`
 * once per verb and container; each used to start a JVM (90-190 ms). The node's shim daemon is a JVM
 * that is already warm, so this program forwards those five verbs to it over a unix socket and only
 * does itself what must happen in the caller's process tree: it forks and execs the process `create`
 * leaves behind (the sandbox helper), so that it stays a descendant of the caller (a subreaper), as
 * with runc.
 *
 * The protocol (v1; the daemon's side is io.jurunc.cli.served). Every message either way is a u32 length
 * (little endian; type byte + payload, at most 4 MiB), a type byte and a payload; "strings" are
 * NUL-terminated strings filling the payload exactly.
 *   front  -> daemon  Q  "1", home, cwd, mnt/pid/user ns links, argc, argv[1..], environ
 *                     P  (answer to S) the child's pid, or -errno when open/fork/exec failed
 *   daemon -> front   S  stdin, stdout, stderr ("" = inherit, else a path), argv: spawn, answer P
 *                     O / E  bytes for stdout / stderr
 *                     X  exit code: exit with it
 *                     H  argc, argv, env: execve it (runc, for a container that is not jurunc's)
 *                     F  not served: exec the JVM launcher after all (sent before any side effect)
 * The connection ending before X, H or F is fatal (create may have happened in part: no retry).
 *
 * Everything else, and every call when no daemon serves (connect fails for any reason), goes to the
 * JVM launcher `jurunc.jvm` next to this program (/proc/self/exe) with execv: same argv, same env.
 * JURUNC_NODE_SOCKET names the socket (default /run/jurunc-node/cli.sock); `off` disables the daemon.
 *
 * Built by cli/src/main/dist/make-dist.sh (gcc -O2 -static); tested by e2e CliFrontTest.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define JVM_NAME "jurunc.jvm"
#define DEFAULT_SOCKET "/run/jurunc-node/cli.sock"
#define PROTOCOL_VERSION "1"
#define FRAME_LIMIT (4u << 20) /* type byte + payload */
#define MAX_STRINGS 65536

extern char **environ;

static char jvm_path[PATH_MAX];

static void exec_jvm(char **argv) {
    argv[0] = jvm_path;
    execv(jvm_path, argv);
    fprintf(stderr, "jurunc: cannot run %s: %s\n", jvm_path, strerror(errno));
    exit(1);
}

static _Noreturn void die(const char *what) {
    fprintf(stderr, "jurunc: %s\n", what);
    exit(1);
}

/* ---- which calls are served: runc's global flags, then the verb ---- */
static const char *verb_of(int argc, char **argv) {
    static const char *const with_value[] = {"root", "log", "log-format", "rootless", NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            return a;
        }
        const char *name = a[1] == '-' ? a + 2 : a + 1;
        size_t n = strcspn(name, "=");
        int valued = 0;
        for (int k = 0; with_value[k] != NULL; k++) {
            valued |= strlen(with_value[k]) == n && strncmp(name, with_value[k], n) == 0;
        }
        if (valued) {
            if (name[n] != '=') {
                i++; /* the value is the next argument */
            }
        } else if (!(n == 5 && strncmp(name, "debug", n) == 0) && !(n == 14 && strncmp(name, "systemd-cgroup", n) == 0)) {
            return NULL; /* `--`, --help, --version or a flag runc does not have: the JVM answers */
        }
    }
    return NULL;
}

static int served(const char *verb) {
    static const char *const verbs[] = {"create", "start", "state", "kill", "delete", NULL};
    for (int k = 0; verb != NULL && verbs[k] != NULL; k++) {
        if (strcmp(verb, verbs[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- I/O that survives EINTR, short transfers and a non-blocking stdout ---- */
static int write_all(int fd, const void *data, size_t len, int is_socket) {
    const char *p = data;
    while (len > 0) {
        ssize_t w = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = {.fd = fd, .events = POLLOUT};
            poll(&pf, 1, -1);
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* 0: all len bytes read; -1: end of stream or error first */
static int read_all(int fd, void *data, size_t len) {
    char *p = data;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* ---- frames: u32 length (little endian, type byte + payload), u8 type, payload ---- */
struct strings {
    char *data;
    size_t len, cap;
};

static void add(struct strings *s, const char *str) {
    size_t n = strlen(str) + 1;
    if (s->len + n > s->cap) {
        size_t cap = s->cap == 0 ? 4096 : s->cap;
        while (s->len + n > cap) {
            cap *= 2;
        }
        char *grown = realloc(s->data, cap);
        if (grown == NULL) {
            die("out of memory");
        }
        s->data = grown;
        s->cap = cap;
    }
    memcpy(s->data + s->len, str, n);
    s->len += n;
}

static int send_frame(int fd, char type, const char *payload, size_t len) {
    if (len + 1 > FRAME_LIMIT) {
        return -1;
    }
    uint32_t n = (uint32_t)len + 1;
    unsigned char head[5] = {n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >> 24, (unsigned char)type};
    return write_all(fd, head, sizeof(head), 1) == 0 && write_all(fd, payload, len, 1) == 0 ? 0 : -1;
}

/* The next frame's type (payload in *payload, *len bytes, malloc'd); the connection ending first is fatal. */
static char read_frame(int fd, char **payload, size_t *len) {
    unsigned char head[5];
    if (read_all(fd, head, sizeof(head)) != 0) {
        die("the node daemon closed the connection");
    }
    uint32_t n = head[0] | (uint32_t)head[1] << 8 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 24;
    if (n == 0 || n > FRAME_LIMIT) {
        die("the node daemon sent a malformed frame");
    }
    *len = n - 1;
    *payload = malloc(*len + 1);
    if (*payload == NULL) {
        die("out of memory");
    }
    if (read_all(fd, *payload, *len) != 0) {
        die("the node daemon closed the connection");
    }
    return (char)head[4];
}

/* Splits a strings payload into a NULL-terminated array (pointing into it); its count in *count. */
static char **split(char *payload, size_t len, size_t *count) {
    if (len > 0 && payload[len - 1] != '\0') {
        die("the node daemon sent a malformed message");
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += payload[i] == '\0';
    }
    if (n > MAX_STRINGS) {
        die("the node daemon sent a malformed message");
    }
    char **list = malloc((n + 2) * sizeof(char *)); /* one spare slot: H splits it into argv and env */
    if (list == NULL) {
        die("out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < len; i += strlen(payload + i) + 1) {
        list[k++] = payload + i;
    }
    list[k] = NULL;
    *count = k;
    return list;
}

/* ---- the request ---- */
static int request(struct strings *q, int argc, char **argv) {
    char exe[PATH_MAX], cwd[PATH_MAX], link[PATH_MAX], num[16];
    if (realpath("/proc/self/exe", exe) == NULL || getcwd(cwd, sizeof(cwd)) == NULL) {
        return -1;
    }
    char *bin = NULL; /* the home the launcher script computes: SELF up to its last "/bin/" */
    for (char *p = exe; (p = strstr(p, "/bin/")) != NULL; p++) {
        bin = p;
    }
    if (bin != NULL) {
        *bin = '\0';
    }
    add(q, PROTOCOL_VERSION);
    add(q, exe);
    add(q, cwd);
    static const char *const ns[] = {"/proc/self/ns/mnt", "/proc/self/ns/pid", "/proc/self/ns/user"};
    for (int i = 0; i < 3; i++) {
        ssize_t n = readlink(ns[i], link, sizeof(link) - 1);
        if (n < 0) {
            return -1;
        }
        link[n] = '\0';
        add(q, link);
    }
    snprintf(num, sizeof(num), "%d", argc - 1);
    add(q, num);
    for (int i = 1; i < argc; i++) {
        add(q, argv[i]);
    }
    for (char **e = environ; *e != NULL; e++) {
        add(q, *e);
    }
    return q->len + 1 <= FRAME_LIMIT ? 0 : -1;
}

static int connect_daemon(void) {
    const char *path = getenv("JURUNC_NODE_SOCKET");
    if (path == NULL || path[0] == '\0') {
        path = DEFAULT_SOCKET;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strcmp(path, "off") == 0 || strlen(path) >= sizeof(sa.sun_path)) {
        return -1;
    }
    strcpy(sa.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(s); /* EINTR included: nothing was sent, the JVM path is still safe */
        return -1;
    }
    return s;
}

/* ---- `S`: the child create leaves behind ---- */
static void mark_cloexec_from_3(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */) == 0) {
        return;
    }
#endif
    DIR *d = opendir("/proc/self/fd"); /* before Linux 5.11 */
    if (d == NULL) {
        for (int fd = 3; fd < 65536; fd++) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        if (fd >= 3 && fd != dirfd(d)) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    }
    closedir(d);
}

static _Noreturn void child(char **stdio, char **argv, int report) {
    int err = 0;
    /* the kernel's struct, not libc's: libc refuses its own signals (32, 33), which a caller may ignore too */
    struct {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        unsigned long mask;
    } dfl = {.handler = SIG_DFL};
    for (int sig = 1; sig <= 64; sig++) {
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)); /* SIGKILL and SIGSTOP refuse: no matter */
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int fds[3] = {-1, -1, -1};
    for (int i = 0; i < 3 && err == 0; i++) {
        if (stdio[i][0] == '\0') {
            continue;
        }
        int fd = open(stdio[i], (i == 0 ? O_RDONLY : O_WRONLY | O_APPEND | O_CREAT) | O_CLOEXEC, 0644);
        /* above 2, so that a stream opened into a free 0-2 slot is not overwritten by the next dup2 */
        fds[i] = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (fds[i] < 0) {
            err = errno;
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    for (int i = 0; i < 3 && err == 0; i++) {
        if (fds[i] >= 0 && dup2(fds[i], i) < 0) {
            err = errno;
        }
    }
    if (err == 0) {
        mark_cloexec_from_3();
        execv(argv[0], argv);
        err = errno;
    }
    write_all(report, &err, sizeof(err), 0);
    _exit(127);
}

/* The child's pid, or -errno when the pipe, fork, a stdio path or exec failed. */
static long spawn(char **stdio, char **argv) {
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        return -errno;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        child(stdio, argv, pipefd[1]);
    }
    int fork_errno = errno;
    close(pipefd[1]);
    if (pid < 0) {
        close(pipefd[0]);
        return -fork_errno;
    }
    int err; /* end of file: the exec succeeded (the pipe was close-on-exec) */
    int failed = read_all(pipefd[0], &err, sizeof(err)) == 0;
    close(pipefd[0]);
    if (failed) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
        return -(long)err;
    }
    return pid;
}

int main(int argc, char **argv) {
    ssize_t self = readlink("/proc/self/exe", jvm_path, sizeof(jvm_path) - sizeof(JVM_NAME));
    char *slash = self > 0 ? memrchr(jvm_path, '/', (size_t)self) : NULL;
    if (slash == NULL) {
        fprintf(stderr, "jurunc: cannot read /proc/self/exe: %s\n", strerror(errno));
        return 1;
    }
    strcpy(slash + 1, JVM_NAME);

    if (!served(verb_of(argc, argv))) {
        exec_jvm(argv);
    }
    struct strings q = {0};
    if (request(&q, argc, argv) != 0) {
        exec_jvm(argv); /* the JVM reports what is wrong (or serves an oversized call) */
    }
    int s = connect_daemon();
    if (s < 0) {
        exec_jvm(argv);
    }
    if (send_frame(s, 'Q', q.data, q.len) != 0) {
        die("the node daemon closed the connection");
    }
    free(q.data);

    for (;;) {
        char *payload;
        size_t len, n;
        char type = read_frame(s, &payload, &len);
        if (type == 'O' || type == 'E') {
            write_all(type == 'O' ? 1 : 2, payload, len, 0); /* a closed stdout is not the daemon's error */
            free(payload);
            continue;
        }
        if (type == 'F') {
            exec_jvm(argv); /* the socket is close-on-exec: the daemon sees the end */
        }
        char **list = split(payload, len, &n);
        if (type == 'S') {
            if (n < 4 || list[3][0] != '/') {
                die("the node daemon sent a malformed spawn");
            }
            char answer[24];
            snprintf(answer, sizeof(answer), "%ld", spawn(list, list + 3));
            if (send_frame(s, 'P', answer, strlen(answer) + 1) != 0) {
                die("the node daemon closed the connection");
            }
        } else if (type == 'X') {
            char *end;
            long code = n == 1 ? strtol(list[0], &end, 10) : -1;
            if (n != 1 || list[0][0] == '\0' || *end != '\0' || code < 0 || code > 255) {
                die("the node daemon sent a malformed exit");
            }
            return (int)code;
        } else if (type == 'H') {
            char *end;
            long hc = n >= 2 ? strtol(list[0], &end, 10) : -1;
            if (n < 2 || list[0][0] == '\0' || *end != '\0' || hc < 1 || (size_t)hc > n - 1 || list[1][0] != '/') {
                die("the node daemon sent a malformed hand-over");
            }
            char **hargv = list + 1;
            char **henv = list + 1 + hc; /* the strings after argv; NULL-terminated by split */
            char *path = hargv[0];
            /* argv ends where env starts: shift env up one slot to make room for argv's NULL */
            memmove(henv + 1, henv, (n - 1 - (size_t)hc + 1) * sizeof(char *));
            henv[0] = NULL;
            execve(path, hargv, henv + 1);
            fprintf(stderr, "jurunc: cannot exec %s: %s\n", path, strerror(errno));
            return 1;
        } else {
            die("the node daemon sent an unknown message");
        }
        free(list);
        free(payload);
    }
}
