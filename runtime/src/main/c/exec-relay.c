/*
 * jurunc-exec-relay: the host end of `jurunc exec` into a Linux microVM (docs/runtime.md, "exec").
 *
 *   jurunc-exec-relay [--detach] [--pid-file FILE] [--console-socket SOCKET] [--tty]
 *                     [--log FILE [--log-format text|json]] REQUEST SOCKET LOCK [SOCKET LOCK]...
 *   jurunc-exec-relay --console-size ROWS COLS [--log FILE [--log-format text|json]] SOCKET LOCK [SOCKET LOCK]...
 *
 * REQUEST is a file the runtime wrote (the command, env, cwd, user, tty flag: the R frame's payload,
 * see guest/src/main/c/exec-proto.h for the frames); it is read and removed. Each SOCKET/LOCK pair
 * is one exec port of the VM (QEMU's chardev socket and a root-only lock file): the relay takes the
 * first port whose lock is free (flock, held for its whole life), connects, sends the request and
 * then relays: its stdin as I frames (EOF: an empty one), O/E frames to its stdout/stderr, the
 * signals it catches (TERM, INT, HUP, QUIT, USR1, USR2, CONT, WINCH with a tty) as K frames, window
 * size changes as W frames, until the X frame, whose status becomes its exit status. Killed (or
 * otherwise gone) before that, the guest kills the command.
 *
 * --tty: the command gets a pty in the guest. With --console-socket (runc's protocol) the relay makes
 * a host pty, sends its master over SOCKET with SCM_RIGHTS and relays its slave (raw), which it makes
 * its controlling terminal, so a resize of the master reaches it as SIGWINCH. Without it and with a
 * terminal on stdin, that terminal is put in raw mode for the relay's life.
 *
 * --detach (runc exec -d): the relay forks; the parent waits until the guest has started the
 * command (or refused it), writes the child's pid to --pid-file (atomically, no newline, as runc
 * does) and exits 0 (or prints the reason and exits 1). The child keeps the caller's stdio and exits
 * with the command's status: containerd's shims reap it as the exec'd process.
 *
 * --log: why the command could not start is also appended there, as runc logs its errors (containerd's
 * runc shim reports the last error of the runtime's JSON log), with a "kind" jurunc's shim switches on
 * (command-not-found, command-not-runnable, busy, unreachable, relay): a detached relay's stderr is the
 * exec's stderr FIFO, which containerd's CRI does not read until Start has returned.
 *
 * --console-size: no command; the init's terminal (the guest console the application holds) gets
 * this window size: a C frame on a free port, answered at once with X 0 (or F and X 1). A busy VM
 * (every port running an exec) is exit 3 (kind busy); other failures exit 1. The guest's answer is
 * waited for 30 s (a VM still booting opens its ports just before the application starts).
 *
 * Exit codes: the command's (128+N for signal N); 1 for the relay's own errors before the command
 * started; 255 when the channel closed before an exit status came (the VM stopped).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* the frames, shared with the guest's exec server */
#include "../../../../guest/src/main/c/exec-proto.h"

#define MAX_REQUEST EXEC_MAX_REQUEST
#define MAX_FRAME EXEC_MAX_FRAME
#define BUF_CAP (1u << 18)

struct buf {
    unsigned char *data;
    size_t len;
};

static int status_fd = -1; /* --detach: the pipe to the waiting parent */
static int busy_status = 1; /* the exit status when every port is busy (--console-size: 3) */
static const char *log_file;
static int log_json;

/*
 * Why an exec failed, as a word the caller can switch on (the "kind" of the --log line; the message
 * is for people): the guest could not find the command (its status 127) or could not start it
 * (126: chdir, setuid, exec permission...), every exec channel is busy, the VM's channel could not
 * be reached or closed before an exit status came, or the relay itself failed (its request, a pty,
 * the console socket, fork...).
 */
#define KIND_NOT_FOUND "command-not-found"
#define KIND_NOT_RUNNABLE "command-not-runnable"
#define KIND_BUSY "busy"
#define KIND_UNREACHABLE "unreachable"
#define KIND_RELAY "relay"

/*
 * Appends an error line to --log, as runc logs its errors: {"level":"error","msg":...,"kind":...,
 * "time":...} with --log-format json (containerd's runc shim reports the last error's msg; jurunc's
 * shim also reads kind), else logrus' text form.
 */
static void log_error(const char *kind, const char *msg, int n) {
    if (!log_file) return;
    int fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    char esc[2200];
    int k = 0;
    for (int i = 0; i < n && k < (int)sizeof esc - 8; i++) {
        unsigned char c = msg[i];
        if (c == '"' || c == '\\') {
            esc[k++] = '\\';
            esc[k++] = c;
        } else if (c < 0x20) {
            k += snprintf(esc + k, sizeof esc - k, "\\u%04x", c);
        } else {
            esc[k++] = c;
        }
    }
    if (log_json)
        dprintf(fd, "{\"level\":\"error\",\"msg\":\"exec failed: %.*s\",\"kind\":\"%s\",\"time\":\"%s\"}\n", k,
                esc, kind, when);
    else dprintf(fd, "time=\"%s\" level=error msg=\"exec failed: %.*s\" kind=%s\n", when, k, esc, kind);
    close(fd);
}

static struct termios saved_termios;
static int restore_fd = -1;

static void restore_terminal(void) {
    if (restore_fd >= 0) tcsetattr(restore_fd, TCSANOW, &saved_termios);
    restore_fd = -1;
}

/* Before the command started: tells the caller (the waiting parent, or stderr) why, and exits. */
__attribute__((noreturn)) static void vfail(const char *kind, int code, const char *fmt, va_list ap) {
    char msg[1024];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n < 0) n = 0;
    if (n >= (int)sizeof msg) n = sizeof msg - 1;
    restore_terminal();
    log_error(kind, msg, n);
    if (status_fd >= 0) {
        char line[1100];
        int m = snprintf(line, sizeof line, "E%.*s", n, msg);
        ssize_t w = write(status_fd, line, m);
        (void)w;
    } else {
        dprintf(2, "jurunc: exec: %.*s\n", n, msg);
    }
    _exit(code);
}

__attribute__((format(printf, 3, 4), noreturn)) static void fail_as(const char *kind, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(kind, code, fmt, ap);
}

/* The relay's own failure. */
__attribute__((format(printf, 2, 3), noreturn)) static void fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(KIND_RELAY, code, fmt, ap);
}

static void buf_add(struct buf *b, const void *data, size_t len) {
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void buf_frame(struct buf *b, char type, const void *data, size_t len) {
    if (b->len + EXEC_HEADER + len > BUF_CAP) return; /* only signals can find no room: the socket is stuck */
    unsigned char hdr[EXEC_HEADER];
    hdr[0] = (unsigned char)type;
    exec_put32(hdr + 1, (uint32_t)len);
    buf_add(b, hdr, EXEC_HEADER);
    if (len) buf_add(b, data, len);
}

static void buf_consume(struct buf *b, size_t n) {
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

/* Writes what fd takes now; -1 when fd is gone (the buffer is then dropped). */
static int buf_flush(struct buf *b, int fd) {
    while (b->len > 0) {
        ssize_t w = write(fd, b->data, b->len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) return 0;
        if (w <= 0) {
            b->len = 0;
            return -1;
        }
        buf_consume(b, w);
    }
    return 0;
}

static void set_nonblock(int fd, int on) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static unsigned char *read_request(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) fail(1, "open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
        fail(1, "%s is not a private regular file of this user", path);
    if (st.st_size <= 0 || st.st_size > (off_t)MAX_REQUEST) fail(1, "%s: bad size", path);
    unsigned char *data = malloc(st.st_size + 64);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, data + got, st.st_size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(1, "read %s: %s", path, n < 0 ? strerror(errno) : "short read");
        got += n;
    }
    close(fd);
    unlink(path);
    *len = got;
    return data;
}

/* Takes the first free port: its lock held, its socket connected. */
/*
 * connect() to a unix socket by path. A path too long for sun_path (a state directory under Docker's
 * runtime root) is reached through its directory: /proc/self/fd/N/NAME, N an O_PATH descriptor of it.
 */
static int connect_path(int s, const char *path) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int dirfd = -1;
    if (strlen(path) < sizeof sa.sun_path) {
        strcpy(sa.sun_path, path);
    } else {
        const char *slash = strrchr(path, '/');
        if (!slash || strlen(slash + 1) + 32 >= sizeof sa.sun_path) {
            errno = ENAMETOOLONG;
            return -1;
        }
        char *dir = strndup(path, (size_t)(slash - path));
        if (!dir) return -1;
        dirfd = open(dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        free(dir);
        if (dirfd < 0) return -1;
        snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/%s", dirfd, slash + 1);
    }
    int r = connect(s, (struct sockaddr *)&sa, sizeof sa);
    int e = errno;
    if (dirfd >= 0) close(dirfd);
    errno = e;
    return r;
}

static int take_port(char **pairs, int npairs) {
    int busy = 0;
    for (int i = 0; i < npairs; i++) {
        const char *socket_path = pairs[2 * i], *lock_path = pairs[2 * i + 1];
        int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (lock < 0) fail(1, "open %s: %s", lock_path, strerror(errno));
        if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK) fail(1, "lock %s: %s", lock_path, strerror(errno));
            close(lock);
            busy++;
            continue;
        }
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || connect_path(s, socket_path) != 0)
            fail_as(KIND_UNREACHABLE, 1, "cannot reach the guest's exec channel %s (is the VM running?): %s",
                    socket_path, strerror(errno));
        return s; /* the lock stays held by the open descriptor, inherited by a detached child */
    }
    fail_as(KIND_BUSY, busy_status, "all %d exec channels of this VM are busy (%d commands are running); retry when one ends",
            npairs, busy);
}

/* runc's --console-socket: a host pty whose master goes to the caller; returns the slave. */
static int console(const char *path) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    char name[64];
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0)
        fail(1, "cannot make a pty: %s", strerror(errno));
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) fail(1, "open %s: %s", name, strerror(errno));
    struct termios t;
    if (tcgetattr(slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(slave, TCSANOW, &t);
    }
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) fail(1, "console socket path too long: %s", path);
    strcpy(sa.sun_path, path);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) != 0)
        fail(1, "connect to the console socket %s: %s", path, strerror(errno));
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = {.iov_base = name, .iov_len = strlen(name)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &master, sizeof(int));
    if (sendmsg(s, &msg, 0) < 0) fail(1, "send the pty to %s: %s", path, strerror(errno));
    close(s);
    close(master);
    if (setsid() >= 0) ioctl(slave, TIOCSCTTY, 0);
    return slave;
}

static void write_pid_file(const char *path, pid_t pid) {
    char tmp[4096];
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(tmp, sizeof tmp, "%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
    else snprintf(tmp, sizeof tmp, ".%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 || dprintf(fd, "%d", (int)pid) < 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        dprintf(2, "jurunc: exec: write the pid file %s: %s\n", path, strerror(errno));
        kill(pid, SIGKILL);
        _exit(1);
    }
}

/* --detach: returns in the child; the parent reports the start and exits. */
static void detach(const char *pid_file) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) fail(1, "pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) fail(1, "fork: %s", strerror(errno));
    if (child == 0) {
        close(p[0]);
        status_fd = p[1];
        return;
    }
    close(p[1]);
    char msg[1200];
    size_t n = 0;
    for (;;) {
        ssize_t got = read(p[0], msg + n, sizeof msg - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        n += got;
        if (n == sizeof msg - 1) break;
    }
    msg[n] = 0;
    if (n > 0 && msg[0] == 'S') {
        if (pid_file) write_pid_file(pid_file, child);
        _exit(0);
    }
    dprintf(2, "jurunc: exec: %s\n", n > 1 ? msg + 1 : "the relay ended before the command started");
    _exit(1);
}

static void started(void) {
    if (status_fd < 0) return;
    ssize_t w = write(status_fd, "S", 1);
    (void)w;
    close(status_fd);
    status_fd = -1;
}

static void send_size(struct buf *tosock, int fd) {
    struct winsize ws;
    if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return;
    unsigned char d[4] = {ws.ws_row >> 8, ws.ws_row & 0xff, ws.ws_col >> 8, ws.ws_col & 0xff};
    buf_frame(tosock, EXEC_RESIZE, d, 4);
}

static void usage(void) {
    dprintf(2, "usage: jurunc-exec-relay [--detach] [--pid-file FILE] [--console-socket SOCKET] [--tty] "
               "[--log FILE [--log-format text|json]] REQUEST SOCKET LOCK [SOCKET LOCK]...\n"
               "       jurunc-exec-relay --console-size ROWS COLS [--log FILE [--log-format text|json]] "
               "SOCKET LOCK [SOCKET LOCK]...\n");
    _exit(2);
}

/* How long --console-size waits for the guest's answer (it answers at once; a stopped VM never does). */
#define CONSOLE_SIZE_WAIT_MS 30000

/* --console-size: sends C on the port taken and waits for X; returns the guest's status. */
static int console_size(int sock, unsigned rows, unsigned cols) {
    unsigned char frame[EXEC_HEADER + 4];
    frame[0] = EXEC_CONSOLE_SIZE;
    exec_put32(frame + 1, 4);
    unsigned char d[4] = {rows >> 8, rows & 0xff, cols >> 8, cols & 0xff};
    memcpy(frame + EXEC_HEADER, d, 4);
    if (write(sock, frame, sizeof frame) != (ssize_t)sizeof frame)
        fail_as(KIND_UNREACHABLE, 1, "send the console size: %s", strerror(errno));
    unsigned char rd[EXEC_HEADER + MAX_FRAME + 1];
    size_t got = 0;
    char failure[MAX_FRAME + 1] = "";
    for (;;) {
        struct pollfd pfd = {sock, POLLIN, 0};
        int r = poll(&pfd, 1, CONSOLE_SIZE_WAIT_MS);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) fail_as(KIND_UNREACHABLE, 1, "the guest did not answer the console size within %d ms", CONSOLE_SIZE_WAIT_MS);
        ssize_t n = read(sock, rd + got, sizeof rd - 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            fail_as(KIND_UNREACHABLE, 1, "the guest closed the exec channel before it answered the console size%s%s",
                    *failure ? ": " : "", failure);
        got += n;
        while (got >= EXEC_HEADER) {
            uint32_t len = exec_get32(rd + 1);
            if (len > MAX_FRAME) fail(1, "the guest sent a frame of %u bytes", len);
            if (got < EXEC_HEADER + len) break;
            if (rd[0] == EXEC_FAILED) {
                memcpy(failure, rd + EXEC_HEADER, len);
                failure[len] = 0;
            } else if (rd[0] == EXEC_EXIT && len == 4) {
                int code = exec_get32(rd + EXEC_HEADER) & 0xff;
                if (code != 0) fail(code, "the guest could not set the console size: %s", *failure ? failure : "?");
                return 0;
            }
            memmove(rd, rd + EXEC_HEADER + len, got - EXEC_HEADER - len);
            got -= EXEC_HEADER + len;
        }
    }
}

static unsigned size_arg(const char *text) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || !*text || *end || *text == '-' || v == 0 || v > 0xffff) usage();
    return (unsigned)v;
}

int main(int argc, char **argv) {
    int detached = 0, tty = 0, resize = 0;
    unsigned rows = 0, cols = 0;
    const char *pid_file = NULL, *console_socket = NULL;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (!strcmp(argv[i], "--detach")) detached = 1;
        else if (!strcmp(argv[i], "--tty")) tty = 1;
        else if (!strcmp(argv[i], "--pid-file") && i + 1 < argc) pid_file = argv[++i];
        else if (!strcmp(argv[i], "--console-socket") && i + 1 < argc) console_socket = argv[++i];
        else if (!strcmp(argv[i], "--log") && i + 1 < argc) log_file = argv[++i];
        else if (!strcmp(argv[i], "--log-format") && i + 1 < argc) log_json = !strcmp(argv[++i], "json");
        else if (!strcmp(argv[i], "--console-size") && i + 2 < argc) {
            resize = 1;
            rows = size_arg(argv[++i]);
            cols = size_arg(argv[++i]);
        } else usage();
    }
    if (resize) {
        if (detached || tty || pid_file || console_socket || argc - i < 2 || (argc - i) % 2 != 0) usage();
        signal(SIGPIPE, SIG_IGN);
        busy_status = 3;
        return console_size(take_port(argv + i, (argc - i) / 2), rows, cols);
    }
    if (argc - i < 3 || (argc - i - 1) % 2 != 0) usage();
    const char *request_file = argv[i];
    size_t reqlen;
    unsigned char *request = read_request(request_file, &reqlen);

    sigset_t sigs;
    sigemptyset(&sigs);
    int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH};
    for (size_t k = 0; k < sizeof forwarded / sizeof forwarded[0]; k++) sigaddset(&sigs, forwarded[k]);
    sigaddset(&sigs, SIGPIPE);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) fail(1, "signalfd: %s", strerror(errno));

    int sock = take_port(argv + i + 1, (argc - i - 1) / 2);
    if (detached) detach(pid_file);
    else if (pid_file) write_pid_file(pid_file, getpid());

    int in = 0, out = 1, err = 2, size_fd = -1;
    if (tty && console_socket) {
        in = out = err = size_fd = console(console_socket);
        if (detached) {
            /* The caller's stdio is not the command's (the pty is): containerd's runc shim waits until
               its pipes to the runtime close before Start returns, so a detached relay must let go. */
            int null = open("/dev/null", O_RDWR | O_CLOEXEC);
            if (null >= 0) {
                for (int fd = 0; fd < 3; fd++)
                    if (fd != in) dup2(null, fd);
                if (null > 2) close(null);
            }
        }
    } else if (tty && isatty(0) && tcgetattr(0, &saved_termios) == 0) {
        struct termios raw = saved_termios;
        cfmakeraw(&raw);
        if (tcsetattr(0, TCSANOW, &raw) == 0) restore_fd = 0;
        size_fd = 0;
    }
    struct buf tosock = {malloc(BUF_CAP), 0}, rd = {malloc(MAX_FRAME + EXEC_HEADER), 0};
    struct buf outb = {malloc(BUF_CAP), 0}, errb = {malloc(BUF_CAP), 0};
    /* the request, with the terminal's size appended (a later tag wins) */
    struct winsize ws;
    if (size_fd >= 0 && ioctl(size_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        reqlen += snprintf((char *)request + reqlen, 64, "rows%c%u%ccols%c%u%c", 0, ws.ws_row, 0, 0, ws.ws_col, 0);
    unsigned char hdr[EXEC_HEADER];
    hdr[0] = EXEC_REQUEST;
    exec_put32(hdr + 1, reqlen);
    set_nonblock(sock, 0);
    if (write(sock, hdr, EXEC_HEADER) != EXEC_HEADER) fail_as(KIND_UNREACHABLE, 1, "send the request: %s", strerror(errno));
    for (size_t off = 0; off < reqlen;) {
        ssize_t w = write(sock, request + off, reqlen - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) fail_as(KIND_UNREACHABLE, 1, "send the request: %s", strerror(errno));
        off += w;
    }
    free(request);
    set_nonblock(sock, 1);
    set_nonblock(out, 1);
    if (err != out) set_nonblock(err, 1);
    if (in != out) set_nonblock(in, 1);

    int in_open = 1, out_open = 1, err_open = 1, sock_open = 1, code = -1;
    char failure[MAX_FRAME + 1] = "";
    while (code < 0) {
        struct pollfd pfd[5];
        int k = 0, isig = k++, isock = -1, iin = -1, iout = -1, ierr = -1;
        pfd[isig] = (struct pollfd){sigfd, POLLIN, 0};
        if (sock_open) {
            short ev = 0;
            if (outb.len + MAX_FRAME <= BUF_CAP && errb.len + MAX_FRAME <= BUF_CAP) ev |= POLLIN;
            if (tosock.len) ev |= POLLOUT;
            isock = k;
            pfd[k++] = (struct pollfd){sock, ev, 0};
        }
        if (in_open && sock_open && tosock.len + MAX_FRAME + 64 <= BUF_CAP) {
            iin = k;
            pfd[k++] = (struct pollfd){in, POLLIN, 0};
        }
        if (out_open && outb.len) {
            iout = k;
            pfd[k++] = (struct pollfd){out, POLLOUT, 0};
        }
        if (err_open && errb.len && err != out) {
            ierr = k;
            pfd[k++] = (struct pollfd){err, POLLOUT, 0};
        }
        if (!sock_open) break;
        if (poll(pfd, k, -1) < 0) {
            if (errno == EINTR) continue;
            fail(1, "poll: %s", strerror(errno));
        }
        if (pfd[isig].revents) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGPIPE) continue;
                if (si.ssi_signo == SIGWINCH) {
                    if (tty) send_size(&tosock, size_fd);
                    continue;
                }
                unsigned char d[4];
                exec_put32(d, si.ssi_signo);
                buf_frame(&tosock, EXEC_SIGNAL, d, 4);
            }
        }
        if (iin >= 0 && pfd[iin].revents) {
            unsigned char chunk[MAX_FRAME];
            ssize_t n = read(in, chunk, sizeof chunk);
            if (n > 0) buf_frame(&tosock, EXEC_STDIN, chunk, n);
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                in_open = 0; /* EOF, or EIO from a pty whose master was closed */
                buf_frame(&tosock, EXEC_STDIN, NULL, 0);
            }
        }
        if (isock >= 0 && (pfd[isock].revents & POLLOUT)) {
            if (buf_flush(&tosock, sock) != 0) sock_open = 0;
        }
        if (isock >= 0 && (pfd[isock].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(sock, rd.data + rd.len, MAX_FRAME + EXEC_HEADER - rd.len);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) sock_open = 0;
            if (n > 0) rd.len += n;
            while (rd.len >= EXEC_HEADER) {
                uint32_t len = exec_get32(rd.data + 1);
                if (len > MAX_FRAME) fail(255, "the guest sent a frame of %u bytes", len);
                if (rd.len < EXEC_HEADER + len) break;
                unsigned char type = rd.data[0], *d = rd.data + EXEC_HEADER;
                if (type == EXEC_STARTED) started();
                else if (type == EXEC_STDOUT && out_open) buf_add(&outb, d, len);
                else if (type == EXEC_STDERR && err_open) buf_add(err == out ? &outb : &errb, d, len);
                else if (type == EXEC_FAILED) {
                    memcpy(failure, d, len);
                    failure[len] = 0;
                } else if (type == EXEC_EXIT && len == 4) {
                    code = exec_get32(d) & 0xff;
                }
                buf_consume(&rd, EXEC_HEADER + len);
                if (code >= 0) break;
            }
        }
        if (iout >= 0 && pfd[iout].revents && buf_flush(&outb, out) != 0) out_open = 0;
        if (ierr >= 0 && pfd[ierr].revents && buf_flush(&errb, err) != 0) err_open = 0;
    }
    if (code < 0) {
        set_nonblock(out, 0);
        if (out_open) buf_flush(&outb, out);
        if (*failure) fail_as(KIND_UNREACHABLE, 255, "%s", failure);
        fail_as(KIND_UNREACHABLE, 255,
                "the guest closed the exec channel before the command's exit status came (did the VM stop?)");
    }
    if (*failure) {
        /* the guest's refusal: 127, the command was not found; 126, it could not be started */
        if (status_fd >= 0) fail_as(code == EXEC_STATUS_NOT_FOUND ? KIND_NOT_FOUND : KIND_NOT_RUNNABLE, code ? code : 1, "%s", failure);
        buf_add(&errb, "jurunc: exec: ", 14);
        buf_add(&errb, failure, strlen(failure));
        buf_add(&errb, "\n", 1);
    }
    started();
    set_nonblock(out, 0);
    if (out_open) buf_flush(&outb, out);
    if (err != out) {
        set_nonblock(err, 0);
        if (err_open) buf_flush(&errb, err);
    } else if (out_open) {
        buf_flush(&errb, out);
    }
    restore_terminal();
    return code;
}
