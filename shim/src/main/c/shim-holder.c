/*
 * jurunc-shim-holder: keeps containerd's connections to the node shim daemon alive across a crash of
 * the daemon's JVM.
 *
 *   jurunc-shim-holder <public-socket> <state-dir>
 *
 * containerd 1.6 treats a closed shim connection as a dead shim (it runs `shim delete` for the task and
 * publishes its exit), so the containerd-facing sockets live here, in a small static process, not in
 * the JVM:
 *
 *  - The JVM command line is read from <state-dir>/cmdline (NUL-separated, written by the Java `start`).
 *    The JVM runs as this process's child with JURUNC_SHIM_HOLDER_DIR=<state-dir> in its environment
 *    and serves the task API on the private socket <state-dir>/s. The public socket is bound (0600,
 *    peers of another uid are refused) once the first JVM serves; a JVM that dies before serving the
 *    first time ends the holder with its status, so `start` reports it as before.
 *  - Each accepted containerd connection gets its own connection to the JVM; whole ttrpc frames
 *    (10-byte header: length, stream id, type, flags; then the payload) are forwarded both ways. A
 *    request stays pending until its response frame has come back whole. A frame half-read from
 *    either side when the JVM dies is never forwarded: the partial response is dropped, and every
 *    pending request is sent again, in order, to the next JVM (the daemon's handlers are written to
 *    be answered again: see docs/shim.md, "Crash safety").
 *  - The JVM is restarted when it dies of a signal or exits with a status other than 0/130/143 (a
 *    clean stop: the JVM itself removes the sockets, the lock and the state directory under the start
 *    lock, and the holder exits). Quick repeated failures end the holder.
 *  - PR_SET_CHILD_SUBREAPER: the JVM's children (the monitors) are re-parented here when it dies; the
 *    holder reaps them and records each exit as <state-dir>/exits/<pid> ("<status> <unix ns>\n",
 *    status 128+signal for a signal), where the next JVM reads it when it adopts the containers.
 *
 * Log lines go to <public-socket>.log (the daemon's log). Built by cli/src/main/dist/make-dist.sh;
 * tested by HolderTest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEADER 10
#define MAX_FRAME (16u << 20)
#define MAX_CONNS 1024
#define QUICK_FAILURE_S 5
#define MAX_QUICK_FAILURES 5
#define READY_PROBE_MS 2

struct frame {
    struct frame *next;
    uint32_t stream;
    size_t len;
    unsigned char *bytes;
};

struct buf {
    unsigned char *data;
    size_t len, cap;
};

struct conn {
    int cfd, bfd;
    struct buf from_client, from_jvm;
    struct frame *pending, *pending_tail;
};

static const char *public_socket, *state_dir;
static char private_socket[PATH_MAX], cmdline_file[PATH_MAX], exits_dir[PATH_MAX], log_file[PATH_MAX];
static struct conn *conns[MAX_CONNS];
static pid_t jvm_pid;
static int jvm_ready, restarts, quick_failures;
static time_t jvm_started;

static void logf_(const char *fmt, ...) {
    int fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return;
    }
    char line[1024];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof(line), "time=\"%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ\" level=info msg=\"holder: ",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof(line) - (size_t)n - 3, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 3) {
        n = (int)sizeof(line) - 3;
    }
    line[n++] = '"';
    line[n++] = '\n';
    if (write(fd, line, (size_t)n) < 0) {
        /* nothing to do */
    }
    close(fd);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int buf_read(int fd, struct buf *b) {
    if (b->cap - b->len < 65536) {
        size_t cap = b->cap == 0 ? 65536 : b->cap * 2;
        if (cap > MAX_FRAME + HEADER + 65536) {
            return -1;
        }
        unsigned char *d = realloc(b->data, cap);
        if (d == NULL) {
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    ssize_t r;
    while ((r = read(fd, b->data + b->len, b->cap - b->len)) < 0 && errno == EINTR) {
    }
    if (r <= 0) {
        return -1;
    }
    b->len += (size_t)r;
    return 0;
}

/* The next whole frame at the start of b, or 0 bytes if none yet; -1 if the frame is too large. */
static long frame_size(const struct buf *b) {
    if (b->len < HEADER) {
        return 0;
    }
    uint32_t n = be32(b->data);
    if (n > MAX_FRAME) {
        return -1;
    }
    return b->len >= HEADER + (size_t)n ? (long)(HEADER + n) : 0;
}

static void buf_drop(struct buf *b, size_t n) {
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int connect_unix(const char *path) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return -1;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    if (n >= sizeof(sa.sun_path)) {
        close(s);
        return -1;
    }
    memcpy(sa.sun_path, path, n + 1);
    if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(s);
        return -1;
    }
    return s;
}

static void close_jvm_side(struct conn *c) {
    if (c->bfd >= 0) {
        close(c->bfd);
        c->bfd = -1;
    }
    c->from_jvm.len = 0; /* a response half-read from a dead JVM is never forwarded */
}

static void drop_conn(int i) {
    struct conn *c = conns[i];
    close(c->cfd);
    close_jvm_side(c);
    for (struct frame *f = c->pending; f != NULL;) {
        struct frame *next = f->next;
        free(f->bytes);
        free(f);
        f = next;
    }
    free(c->from_client.data);
    free(c->from_jvm.data);
    free(c);
    conns[i] = NULL;
}

/* Connects c to the JVM and sends every pending request again, oldest first. */
static void attach(struct conn *c) {
    if (!jvm_ready || c->bfd >= 0) {
        return;
    }
    c->bfd = connect_unix(private_socket);
    if (c->bfd < 0) {
        jvm_ready = 0;
        return;
    }
    int replayed = 0;
    for (struct frame *f = c->pending; f != NULL; f = f->next) {
        if (write_all(c->bfd, f->bytes, f->len) != 0) {
            close_jvm_side(c);
            return;
        }
        replayed++;
    }
    if (replayed > 0) {
        logf_("replayed %d unanswered request(s) to the restarted daemon", replayed);
    }
}

static int on_client_data(struct conn *c) {
    if (buf_read(c->cfd, &c->from_client) != 0) {
        return -1;
    }
    long n;
    while ((n = frame_size(&c->from_client)) > 0) {
        unsigned char *bytes = malloc((size_t)n);
        if (bytes == NULL) {
            return -1;
        }
        memcpy(bytes, c->from_client.data, (size_t)n);
        buf_drop(&c->from_client, (size_t)n);
        uint32_t stream = be32(bytes + 4);
        if (bytes[8] == 1) { /* request: pending until its response came back whole */
            struct frame *f = calloc(1, sizeof(*f));
            if (f == NULL) {
                free(bytes);
                return -1;
            }
            *f = (struct frame){.stream = stream, .len = (size_t)n, .bytes = bytes};
            if (c->pending_tail != NULL) {
                c->pending_tail->next = f;
            } else {
                c->pending = f;
            }
            c->pending_tail = f;
            if (c->bfd >= 0 && write_all(c->bfd, bytes, (size_t)n) != 0) {
                close_jvm_side(c);
            }
        } else {
            if (c->bfd >= 0 && write_all(c->bfd, bytes, (size_t)n) != 0) {
                close_jvm_side(c);
            }
            free(bytes);
        }
    }
    return n < 0 ? -1 : 0;
}

static void answered(struct conn *c, uint32_t stream) {
    struct frame *prev = NULL;
    for (struct frame *f = c->pending; f != NULL; prev = f, f = f->next) {
        if (f->stream == stream) {
            if (prev != NULL) {
                prev->next = f->next;
            } else {
                c->pending = f->next;
            }
            if (c->pending_tail == f) {
                c->pending_tail = prev;
            }
            free(f->bytes);
            free(f);
            return;
        }
    }
}

/* -1: the client is gone; 0 otherwise (a dead JVM side is closed and awaits the next daemon). */
static int on_jvm_data(struct conn *c) {
    if (buf_read(c->bfd, &c->from_jvm) != 0) {
        /* the JVM is dying (its listening socket may still take connections for a moment): wait until
           the next probe finds it serving */
        close_jvm_side(c);
        jvm_ready = 0;
        return 0;
    }
    long n;
    while ((n = frame_size(&c->from_jvm)) > 0) {
        if (c->from_jvm.data[8] == 2) {
            answered(c, be32(c->from_jvm.data + 4));
        }
        if (write_all(c->cfd, c->from_jvm.data, (size_t)n) != 0) {
            return -1;
        }
        buf_drop(&c->from_jvm, (size_t)n);
    }
    if (n < 0) {
        close_jvm_side(c);
    }
    return 0;
}

static void accept_conn(int lfd) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        return;
    }
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != getuid() || cred.gid != getgid()) {
        logf_("refused a peer of uid %d", (int)cred.uid);
        close(fd);
        return;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
        if (conns[i] == NULL) {
            struct conn *c = calloc(1, sizeof(*c));
            if (c == NULL) {
                break;
            }
            c->cfd = fd;
            c->bfd = -1;
            conns[i] = c;
            attach(c);
            return;
        }
    }
    close(fd);
}

static char **read_cmdline(void) {
    int fd = open(cmdline_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    static char data[65536];
    size_t len = 0;
    ssize_t r;
    while (len < sizeof(data) - 1 && (r = read(fd, data + len, sizeof(data) - 1 - len)) > 0) {
        len += (size_t)r;
    }
    close(fd);
    if (len == 0 || data[len - 1] != '\0') {
        return NULL;
    }
    static char *argv[1024];
    int n = 0;
    for (size_t i = 0; i < len && n < 1023; i += strlen(data + i) + 1) {
        argv[n++] = data + i;
    }
    argv[n] = NULL;
    return argv;
}

static pid_t spawn_jvm(const sigset_t *old) {
    char **argv = read_cmdline();
    if (argv == NULL) {
        logf_("cannot read %s", cmdline_file);
        return -1;
    }
    char restarts_text[16];
    snprintf(restarts_text, sizeof(restarts_text), "%d", restarts);
    pid_t holder = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, old, NULL);
        /* The JVM goes with its holder: a holder killed by a clean-up must not leave behind a daemon it
           had just restarted. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != holder) _exit(127);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        setenv("JURUNC_SHIM_HOLDER_DIR", state_dir, 1);
        setenv("JURUNC_SHIM_RESTARTS", restarts_text, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid > 0) {
        jvm_started = time(NULL);
        logf_("daemon JVM started, pid %d (restart %d)", (int)pid, restarts);
    }
    return pid;
}

static void record_exit(pid_t pid, int status) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char file[PATH_MAX + 32], tmp[PATH_MAX + 40], text[64];
    snprintf(file, sizeof(file), "%s/%d", exits_dir, (int)pid);
    snprintf(tmp, sizeof(tmp), "%s/.%d.tmp", exits_dir, (int)pid);
    int n = snprintf(text, sizeof(text), "%d %lld\n", code, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == ENOENT) {
        /* the state directory is gone: the daemon stopped cleanly (it removes the directory, the sockets
           and its log), so no daemon will adopt this process; a log line here would only make the log
           file again after the daemon removed it */
        return;
    }
    if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) != 0 || rename(tmp, file) != 0) {
        logf_("cannot record the exit of %d: %s", (int)pid, strerror(errno));
        return;
    }
    logf_("re-parented process %d exited with status %d (recorded)", (int)pid, code);
}

static int listen_public(void) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (s < 0 || strlen(public_socket) >= sizeof(sa.sun_path)) {
        return -1;
    }
    strcpy(sa.sun_path, public_socket);
    mode_t old = umask(0077);
    int ok = bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    umask(old);
    if (!ok || chmod(public_socket, 0600) != 0 || listen(s, 128) != 0) {
        close(s);
        return -1;
    }
    return s;
}

int main(int argc, char **argv) {
    /* Words after the state dir are not read: they name the daemon (its containerd address and
       namespace) so that tools that clean up a containerd's shims by their argv find the holder too. */
    if (argc < 3 || (argc > 3 && strcmp(argv[3], "--") != 0)) {
        fprintf(stderr, "usage: jurunc-shim-holder <public-socket> <state-dir> [-- <daemon words>...]\n");
        return 2;
    }
    public_socket = argv[1];
    state_dir = argv[2];
    if (snprintf(private_socket, sizeof(private_socket), "%s/s", state_dir) >= (int)sizeof(((struct sockaddr_un *)0)->sun_path)) {
        fprintf(stderr, "jurunc-shim-holder: %s/s is too long for a socket\n", state_dir);
        return 2;
    }
    snprintf(cmdline_file, sizeof(cmdline_file), "%s/cmdline", state_dir);
    snprintf(exits_dir, sizeof(exits_dir), "%s/exits", state_dir);
    snprintf(log_file, sizeof(log_file), "%s.log", public_socket);
    if (mkdir(exits_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "jurunc-shim-holder: cannot create %s: %s\n", exits_dir, strerror(errno));
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        fprintf(stderr, "jurunc-shim-holder: PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
        return 2;
    }
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, &old);
    signal(SIGPIPE, SIG_IGN);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        return 2;
    }
    jvm_pid = spawn_jvm(&old);
    if (jvm_pid < 0) {
        return 1;
    }
    int lfd = -1, stopping = 0;
    time_t restart_at = 0;
    for (;;) {
        if (!jvm_ready && jvm_pid > 0) {
            int probe = connect_unix(private_socket);
            if (probe >= 0) {
                close(probe);
                jvm_ready = 1;
                quick_failures = 0;
                if (lfd < 0) {
                    lfd = listen_public();
                    if (lfd < 0) {
                        logf_("cannot listen on %s: %s", public_socket, strerror(errno));
                        kill(jvm_pid, SIGTERM);
                        return 3;
                    }
                    logf_("serving %s for daemon pid %d", public_socket, (int)jvm_pid);
                }
                for (int i = 0; i < MAX_CONNS; i++) {
                    if (conns[i] != NULL) {
                        attach(conns[i]);
                    }
                }
            }
        }
        if (jvm_pid == 0 && !stopping && time(NULL) >= restart_at) {
            if (access(cmdline_file, R_OK) != 0) {
                /* the state is gone: a clean stop of the daemon was cut short (its socket, log and
                   state were removed first); nothing is left to restart */
                return 0;
            }
            restarts++;
            jvm_pid = spawn_jvm(&old);
            if (jvm_pid < 0) {
                jvm_pid = 0;
                restart_at = time(NULL) + 1;
                if (++quick_failures >= MAX_QUICK_FAILURES) {
                    return 5;
                }
            }
        }
        struct pollfd fds[2 + 2 * MAX_CONNS];
        int idx[2 + 2 * MAX_CONNS];
        int nfds = 0;
        fds[nfds++] = (struct pollfd){.fd = sfd, .events = POLLIN};
        if (lfd >= 0) {
            fds[nfds++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        }
        for (int i = 0; i < MAX_CONNS; i++) {
            if (conns[i] == NULL) {
                continue;
            }
            idx[nfds] = i;
            fds[nfds++] = (struct pollfd){.fd = conns[i]->cfd, .events = POLLIN};
            if (conns[i]->bfd >= 0) {
                idx[nfds] = -1 - i;
                fds[nfds++] = (struct pollfd){.fd = conns[i]->bfd, .events = POLLIN};
            }
        }
        /* a JVM not serving yet is probed every 2 ms: containerd's first Create waits for the public
           socket, which is bound on the first successful probe (a probe is two system calls) */
        int timeout = (!jvm_ready && jvm_pid > 0) ? READY_PROBE_MS : jvm_pid == 0 ? 200 : -1;
        if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
            return 4;
        }
        for (int k = 0; k < nfds; k++) {
            if (fds[k].revents == 0) {
                continue;
            }
            if (fds[k].fd == sfd) {
                struct signalfd_siginfo si;
                while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
                    if (si.ssi_signo != SIGCHLD) {
                        stopping = 1; /* a clean stop: the daemon removes the socket, lock and state */
                        if (jvm_pid > 0) {
                            kill(jvm_pid, SIGTERM);
                        }
                    }
                }
                int status;
                pid_t pid;
                while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
                    if (pid != jvm_pid) {
                        record_exit(pid, status);
                        continue;
                    }
                    jvm_pid = 0;
                    jvm_ready = 0;
                    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                    if (stopping || code == 0 || code == 130 || code == 143) {
                        /* a clean stop: the daemon removed the socket, its log and the state under the
                           start lock (no log line here: it would make the log file again) */
                        return 0;
                    }
                    if (lfd < 0) {
                        /* never served: `start` reports the failure */
                        return WIFEXITED(status) ? code : 128 + WTERMSIG(status);
                    }
                    logf_("daemon JVM %d died (%s %d): restarting it; containerd's connections stay", (int)pid,
                            WIFSIGNALED(status) ? "signal" : "status", WIFSIGNALED(status) ? WTERMSIG(status) : code);
                    quick_failures = time(NULL) - jvm_started < QUICK_FAILURE_S ? quick_failures + 1 : 0;
                    if (quick_failures >= MAX_QUICK_FAILURES) {
                        logf_("daemon JVM failed %d times in a row: giving up", quick_failures);
                        return 5;
                    }
                    restart_at = quick_failures > 0 ? time(NULL) + 1 : 0;
                }
            } else if (fds[k].fd == lfd) {
                accept_conn(lfd);
            } else if (idx[k] >= 0) {
                struct conn *c = conns[idx[k]];
                if (c != NULL && on_client_data(c) != 0) {
                    drop_conn(idx[k]);
                }
            } else {
                struct conn *c = conns[-1 - idx[k]];
                if (c != NULL && c->bfd == fds[k].fd && on_jvm_data(c) != 0) {
                    drop_conn(-1 - idx[k]);
                }
            }
        }
        if (stopping && jvm_pid == 0) {
            unlink(public_socket); /* no daemon left to remove them */
            unlink(log_file);
            return 0;
        }
        if (jvm_ready) {
            for (int i = 0; i < MAX_CONNS; i++) {
                if (conns[i] != NULL && conns[i]->bfd < 0) {
                    attach(conns[i]);
                }
            }
        }
    }
}
