/*
 * The guest side of `jurunc exec` (docs/guest.md, "exec"). Included by init.c, which forks
 * exec_server_start() before the application; also built on the host by the exec tests
 * (exec-server-test.c), which serve a unix socket's connections with the same code.
 *
 * Channels: every virtio-serial port named "io.jurunc.exec" or "io.jurunc.exec.N" (QEMU's
 * virtserialport name=, read from /sys/class/virtio-ports/vportNpM/name; the device is
 * /dev/vportNpM). A port runs one command at a time; the host runs several at once over several
 * ports (its relay takes a free one under a lock). A port is usable while the host end of its
 * chardev socket is connected: otherwise it polls POLLHUP, and the driver sends SIGIO when the host
 * connects (a 1 s poll timeout is the safety net).
 *
 * Frames: exec-proto.h, shared with the host relay.
 * A host that goes away before X has the command killed (SIGKILL to its process group).
 */
#ifndef JURUNC_EXEC_SERVER_H
#define JURUNC_EXEC_SERVER_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "exec-proto.h"

#define EXEC_PORT_NAME "io.jurunc.exec"
#define EXEC_MAX_PORTS 16
#define EXEC_SEARCH_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * The console the application holds (its controlling terminal): the init's stdin, /dev/console,
 * which the server inherits. A C frame sets its window size (tests: a pty of theirs).
 */
static int exec_console_fd = 0;

struct exec_port {
    int fd;              /* the port (tests: a connection) */
    int connected;       /* the host end is open */
    int broken;          /* a protocol error: input is dropped until the host goes */
    unsigned char hdr[EXEC_HEADER];
    size_t hgot;
    unsigned char *payload;
    uint32_t plen, pgot;
    pid_t pid;           /* the command, 0 when none */
    int orphaned;        /* the host went away: the command is being killed, nothing is sent */
    int in, out, err;    /* the command's stdio (with a tty in == out, the pty master); -1: closed */
    int tty;
    unsigned char *pend; /* stdin not yet written */
    size_t npend, pendoff;
    int eof_after;       /* close stdin once pend is written */
};

static void exec_log(const char *fmt, ...) {
    char buf[512];
    int n = snprintf(buf, sizeof buf, "jurunc-init: exec: ");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) return;
    n += m;
    if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    ssize_t w = write(2, buf, n);
    (void)w;
}

/*
 * execve of file, searched in path (colon-separated) when it has no slash, as execvp does.
 * Returns the errno to report (ENOENT, EACCES, ...) when nothing could be exec'd.
 */
static int exec_search(const char *file, char **args, char **env, const char *path) {
    if (strchr(file, '/')) {
        execve(file, args, env);
        return errno;
    }
    char candidate[PATH_MAX];
    int eacces = 0;
    while (*path) {
        const char *colon = strchrnul(path, ':');
        int dlen = colon - path;
        snprintf(candidate, sizeof candidate, "%.*s%s%s", dlen, path, dlen ? "/" : "", file);
        execve(candidate, args, env);
        if (errno == EACCES) eacces = 1;
        else if (errno != ENOENT && errno != ENOTDIR) return errno;
        path = *colon ? colon + 1 : colon;
    }
    return eacces ? EACCES : ENOENT;
}

/* Writes all of buf to a non-blocking fd; -1 when the other end went away. */
static int exec_write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w > 0) {
            p += w;
            len -= w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w == 0 || errno != EAGAIN) return -1;
        struct pollfd pfd = {fd, POLLOUT, 0};
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) return -1;
        if ((pfd.revents & (POLLHUP | POLLERR)) && !(pfd.revents & POLLOUT)) return -1;
    }
    return 0;
}

static void exec_close(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static void exec_close_stdio(struct exec_port *p) {
    if (p->in == p->out) p->in = -1;
    exec_close(&p->in);
    exec_close(&p->out);
    exec_close(&p->err);
    free(p->pend);
    p->pend = NULL;
    p->npend = p->pendoff = 0;
    p->eof_after = 0;
}

/* The host went away: the command is killed (and reaped later), the frame reader starts over. */
static void exec_hangup(struct exec_port *p) {
    if (p->pid > 0 && !p->orphaned) {
        kill(-p->pid, SIGKILL);
        kill(p->pid, SIGKILL);
        p->orphaned = 1;
    }
    exec_close_stdio(p);
    free(p->payload);
    p->payload = NULL;
    p->hgot = 0;
    p->plen = p->pgot = 0;
    p->connected = 0;
    p->broken = 0;
}

static int exec_send(struct exec_port *p, char type, const void *data, size_t len) {
    if (!p->connected || p->orphaned) return -1;
    unsigned char hdr[EXEC_HEADER];
    hdr[0] = (unsigned char)type;
    exec_put32(hdr + 1, (uint32_t)len);
    if (exec_write_all(p->fd, hdr, EXEC_HEADER) != 0 || (len && exec_write_all(p->fd, data, len) != 0)) {
        exec_hangup(p);
        return -1;
    }
    return 0;
}

static void exec_send32(struct exec_port *p, char type, uint32_t v) {
    unsigned char b[4];
    exec_put32(b, v);
    exec_send(p, type, b, 4);
}

/* An F frame with the message, then X with the code. */
static void exec_fail(struct exec_port *p, int code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n >= (int)sizeof msg) n = sizeof msg - 1;
    exec_send(p, EXEC_FAILED, msg, n);
    exec_send32(p, EXEC_EXIT, code);
}

struct exec_request {
    char **args, **env;
    int nargs, nenv;
    const char *cwd;
    uid_t uid;
    gid_t gid;
    gid_t *gids;
    int ngids;
    int tty;
    unsigned rows, cols;
};

static int exec_number(const char *text, unsigned long max, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || !*text || *end || *text == '-' || v > max) return -1;
    *out = v;
    return 0;
}

/* Parses a request payload in place (buf[len - 1] is NUL); a message in why on error. */
static int exec_parse(char *buf, size_t len, struct exec_request *r, char *why, size_t whylen) {
    memset(r, 0, sizeof *r);
    r->cwd = "/";
    if (len == 0 || buf[len - 1] != 0 || strcmp(buf, EXEC_MAGIC) != 0) {
        snprintf(why, whylen, "not a jurunc exec request");
        return -1;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) cap += buf[i] == 0;
    r->args = calloc(cap, sizeof *r->args);
    r->env = calloc(cap, sizeof *r->env);
    r->gids = calloc(cap, sizeof *r->gids);
    if (!r->args || !r->env || !r->gids) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    char *pos = buf + strlen(buf) + 1, *end = buf + len;
    while (pos < end) {
        char *tag = pos;
        pos += strlen(pos) + 1;
        if (pos >= end) {
            snprintf(why, whylen, "request tag '%.64s' has no value", tag);
            return -1;
        }
        char *val = pos;
        pos += strlen(pos) + 1;
        unsigned long n;
        if (strcmp(tag, "arg") == 0) r->args[r->nargs++] = val;
        else if (strcmp(tag, "env") == 0 && strchr(val, '=')) r->env[r->nenv++] = val;
        else if (strcmp(tag, "cwd") == 0 && val[0] == '/') r->cwd = val;
        else if (strcmp(tag, "uid") == 0 && exec_number(val, 0xfffffffeUL, &n) == 0) r->uid = n;
        else if (strcmp(tag, "gid") == 0 && exec_number(val, 0xfffffffeUL, &n) == 0) r->gid = n;
        else if (strcmp(tag, "group") == 0 && exec_number(val, 0xfffffffeUL, &n) == 0) r->gids[r->ngids++] = n;
        else if (strcmp(tag, "tty") == 0 && exec_number(val, 1, &n) == 0) r->tty = n;
        else if (strcmp(tag, "rows") == 0 && exec_number(val, 0xffff, &n) == 0) r->rows = n;
        else if (strcmp(tag, "cols") == 0 && exec_number(val, 0xffff, &n) == 0) r->cols = n;
        else {
            snprintf(why, whylen, "bad request entry %.32s=%.64s", tag, val);
            return -1;
        }
    }
    if (r->nargs == 0 || !*r->args[0]) {
        snprintf(why, whylen, "the request names no command");
        return -1;
    }
    return 0;
}

static void exec_free_request(struct exec_request *r) {
    free(r->args);
    free(r->env);
    free(r->gids);
}

static const char *exec_env_path(const struct exec_request *r) {
    for (int i = 0; i < r->nenv; i++)
        if (strncmp(r->env[i], "PATH=", 5) == 0) return r->env[i] + 5;
    return EXEC_SEARCH_PATH;
}

/* In the forked child: reports why it cannot run the command through fd and exits with code. */
static void exec_child_fail(int fd, int code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n > 0) {
        ssize_t w = write(fd, msg, n < (int)sizeof msg ? n : (int)sizeof msg - 1);
        (void)w;
    }
    _exit(code);
}

/* In the forked child: becomes the command. Never returns. */
static void exec_child(const struct exec_request *r, const char *slave, int in, int out, int err, int report) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    if (slave) {
        int s = open(slave, O_RDWR);
        if (s < 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "open %s: %s", slave, strerror(errno));
        if (ioctl(s, TIOCSCTTY, 0) != 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "TIOCSCTTY: %s", strerror(errno));
        in = out = err = s;
    }
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "dup2: %s", strerror(errno));
    if (chdir(r->cwd) != 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "chdir %s: %s", r->cwd, strerror(errno));
    if (setgroups(r->ngids, r->gids) != 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "setgroups: %s", strerror(errno));
    if (setgid(r->gid) != 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "setgid %u: %s", r->gid, strerror(errno));
    if (setuid(r->uid) != 0) exec_child_fail(report, EXEC_STATUS_NOT_RUNNABLE, "setuid %u: %s", r->uid, strerror(errno));
    r->args[r->nargs] = NULL;
    r->env[r->nenv] = NULL;
    int e = exec_search(r->args[0], r->args, r->env, exec_env_path(r));
    exec_child_fail(report, e == ENOENT ? EXEC_STATUS_NOT_FOUND : EXEC_STATUS_NOT_RUNNABLE, "exec %s: %s", r->args[0], strerror(e));
}

static int exec_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A complete R frame: starts the command, answers S, or F and X. */
static void exec_start(struct exec_port *p, char *payload, size_t len) {
    if (p->pid > 0) {
        exec_fail(p, 1, "a command is already running on this channel");
        return;
    }
    struct exec_request r;
    char why[256];
    if (exec_parse(payload, len, &r, why, sizeof why) != 0) {
        exec_fail(p, EXEC_STATUS_NOT_RUNNABLE, "%s", why);
        exec_free_request(&r);
        return;
    }
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
    int master = -1;
    char slave[64] = "";
    if (pipe2(report, O_CLOEXEC) != 0) goto sysfail;
    if (r.tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
            ptsname_r(master, slave, sizeof slave) != 0)
            goto sysfail;
        if (r.rows && r.cols) {
            struct winsize ws = {.ws_row = r.rows, .ws_col = r.cols};
            ioctl(master, TIOCSWINSZ, &ws);
        }
    } else if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        goto sysfail;
    }
    pid_t pid = fork();
    if (pid < 0) goto sysfail;
    if (pid == 0) exec_child(&r, r.tty ? slave : NULL, in[0], out[1], err[1], report[1]);
    exec_close(&report[1]);
    exec_close(&in[0]);
    exec_close(&out[1]);
    exec_close(&err[1]);
    char msg[512];
    size_t n = 0;
    for (;;) {
        ssize_t got = read(report[0], msg + n, sizeof msg - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        n += got;
        if (n == sizeof msg - 1) break;
    }
    exec_close(&report[0]);
    exec_free_request(&r);
    if (n > 0) {
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        exec_close(&master);
        exec_close(&in[1]);
        exec_close(&out[0]);
        exec_close(&err[0]);
        msg[n] = 0;
        exec_fail(p, WIFEXITED(st) ? WEXITSTATUS(st) : EXEC_STATUS_NOT_RUNNABLE, "%s", msg);
        return;
    }
    p->pid = pid;
    p->orphaned = 0;
    p->tty = r.tty;
    if (r.tty) {
        p->in = p->out = master;
        p->err = -1;
    } else {
        p->in = in[1];
        p->out = out[0];
        p->err = err[0];
    }
    exec_nonblock(p->out);
    if (p->in != p->out) exec_nonblock(p->in);
    if (p->err >= 0) exec_nonblock(p->err);
    exec_send32(p, EXEC_STARTED, (uint32_t)pid);
    return;
sysfail:;
    int e = errno;
    exec_close(&report[0]);
    exec_close(&report[1]);
    exec_close(&master);
    for (int i = 0; i < 2; i++) {
        exec_close(&in[i]);
        exec_close(&out[i]);
        exec_close(&err[i]);
    }
    exec_free_request(&r);
    exec_fail(p, EXEC_STATUS_NOT_RUNNABLE, "cannot start the command: %s", strerror(e));
}

/* Reads what the command wrote on fd and sends it as frame type; closes fd at its end. */
static void exec_pump(struct exec_port *p, int *fd, char type, int drain) {
    char buf[EXEC_MAX_FRAME];
    do {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) { /* EOF, or EIO from a pty master whose slave is gone */
            if (*fd == p->in) p->in = -1;
            exec_close(fd);
            return;
        }
        if (exec_send(p, type, buf, n) != 0) return;
    } while (drain && *fd >= 0);
}

/* Writes pending stdin to the command; 0 when all of it went. */
static int exec_flush_stdin(struct exec_port *p) {
    while (p->pendoff < p->npend && p->in >= 0) {
        ssize_t w = write(p->in, p->pend + p->pendoff, p->npend - p->pendoff);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) return -1;
        if (w <= 0) { /* the command closed its stdin: drop the rest */
            if (p->in != p->out) exec_close(&p->in);
            break;
        }
        p->pendoff += w;
    }
    free(p->pend);
    p->pend = NULL;
    p->npend = p->pendoff = 0;
    if (p->eof_after && p->in >= 0) {
        if (p->tty) {
            ssize_t w = write(p->in, "\004", 1);
            (void)w;
        } else {
            exec_close(&p->in);
        }
    }
    p->eof_after = 0;
    return 0;
}

/* A complete frame from the host. */
static void exec_frame(struct exec_port *p) {
    unsigned char type = p->hdr[0];
    unsigned char *d = p->payload;
    uint32_t len = p->plen;
    if (type == EXEC_REQUEST) {
        exec_start(p, (char *)d, len);
    } else if (type == EXEC_STDIN) {
        if (p->pid > 0 && !p->orphaned && p->in >= 0) {
            if (len == 0) p->eof_after = 1;
            else {
                p->pend = d;
                p->npend = len;
                p->pendoff = 0;
                p->payload = NULL; /* now owned by pend */
            }
            exec_flush_stdin(p);
        }
    } else if (type == EXEC_RESIZE && len == 4) {
        if (p->tty && p->out >= 0) {
            struct winsize ws = {.ws_row = (unsigned)d[0] << 8 | d[1], .ws_col = (unsigned)d[2] << 8 | d[3]};
            ioctl(p->out, TIOCSWINSZ, &ws);
        }
    } else if (type == EXEC_CONSOLE_SIZE && len == 4) {
        /* the host resized the application's terminal (docs/runtime.md, "TTY"): answered at once */
        struct winsize ws = {.ws_row = (unsigned)d[0] << 8 | d[1], .ws_col = (unsigned)d[2] << 8 | d[3]};
        if (p->pid > 0) {
            exec_log("console size: a command runs on this channel; ignored");
        } else if (ioctl(exec_console_fd, TIOCSWINSZ, &ws) != 0) {
            exec_fail(p, 1, "set the console's size: %s", strerror(errno));
        } else {
            exec_send32(p, EXEC_EXIT, 0);
        }
    } else if (type == EXEC_SIGNAL && len == 4) {
        uint32_t sig = exec_get32(d);
        if (p->pid > 0 && sig > 0 && sig < 65) kill(p->pid, sig);
    } else {
        exec_log("protocol error: frame '%c' of %u bytes", type >= 32 && type < 127 ? type : '?', len);
        exec_hangup(p);
        p->connected = 1;
        p->broken = 1;
        return;
    }
    free(p->payload);
    p->payload = NULL;
}

/* Reads from the port: a part of a frame, a whole frame handled. 0 from read: the host went. */
static void exec_read_port(struct exec_port *p) {
    ssize_t n;
    if (p->broken) {
        char sink[4096];
        n = read(p->fd, sink, sizeof sink);
    } else if (p->hgot < EXEC_HEADER) {
        n = read(p->fd, p->hdr + p->hgot, EXEC_HEADER - p->hgot);
        if (n > 0 && (p->hgot += n) == EXEC_HEADER) {
            p->plen = exec_get32(p->hdr + 1);
            p->pgot = 0;
            uint32_t max = p->hdr[0] == EXEC_REQUEST ? EXEC_MAX_REQUEST : EXEC_MAX_FRAME;
            if (p->plen > max || !(p->payload = malloc(p->plen + 1))) {
                exec_log("protocol error: a frame of %u bytes", p->plen);
                exec_hangup(p);
                p->connected = 1;
                p->broken = 1;
                return;
            }
        }
    } else {
        n = read(p->fd, p->payload + p->pgot, p->plen - p->pgot);
        if (n > 0) p->pgot += n;
    }
    if (n == 0) {
        exec_hangup(p);
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) exec_hangup(p);
        return;
    }
    if (!p->broken && p->hgot == EXEC_HEADER && p->pgot == p->plen) {
        p->hgot = 0;
        exec_frame(p);
    }
}

/* The command was reaped: what it wrote is sent, then X (unless the host went away). */
static void exec_finish(struct exec_port *p, int status) {
    if (!p->orphaned) {
        if (p->out >= 0) exec_pump(p, &p->out, EXEC_STDOUT, 1);
        if (p->err >= 0) exec_pump(p, &p->err, EXEC_STDERR, 1);
        exec_send32(p, EXEC_EXIT, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    exec_close_stdio(p);
    p->pid = 0;
    p->orphaned = 0;
}

/* Whether the host end of a port is open (a disconnected virtio port polls POLLHUP). */
static int exec_host_open(int fd) {
    struct pollfd pfd = {fd, POLLIN, 0};
    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

/*
 * Serves the ports until, with once set, none is connected and no command runs (tests); sigfd is a
 * signalfd for SIGCHLD and SIGIO, both blocked.
 */
static void exec_serve(struct exec_port *ports, int n, int sigfd, int once) {
    for (;;) {
        struct pollfd pfd[1 + 3 * EXEC_MAX_PORTS];
        struct exec_port *owner[1 + 3 * EXEC_MAX_PORTS];
        int k = 0, waiting = 0, busy = 0;
        pfd[k].fd = sigfd;
        pfd[k].events = POLLIN;
        owner[k++] = NULL;
        for (int i = 0; i < n; i++) {
            struct exec_port *p = &ports[i];
            busy |= p->connected || p->pid > 0;
            if (!p->connected) waiting = 1;
            else if (!p->pend) {
                pfd[k] = (struct pollfd){p->fd, POLLIN, 0};
                owner[k++] = p;
            }
            if (p->pid > 0 && !p->orphaned) {
                if (p->pend && p->in >= 0) {
                    pfd[k] = (struct pollfd){p->in, POLLOUT, 0};
                    owner[k++] = p;
                }
                if (p->out >= 0) {
                    pfd[k] = (struct pollfd){p->out, POLLIN, 0};
                    owner[k++] = p;
                }
                if (p->err >= 0) {
                    pfd[k] = (struct pollfd){p->err, POLLIN, 0};
                    owner[k++] = p;
                }
            }
        }
        if (once && !busy) return;
        int r = poll(pfd, k, waiting && !once ? 1000 : -1);
        if (r < 0 && errno != EINTR) {
            exec_log("poll: %s", strerror(errno));
            sleep(1);
            continue;
        }
        if (pfd[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof si) == sizeof si) {}
            int st;
            pid_t pid;
            while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
                for (int i = 0; i < n; i++)
                    if (ports[i].pid == pid) exec_finish(&ports[i], st);
        }
        for (int j = 1; j < k; j++) {
            struct exec_port *p = owner[j];
            short ev = pfd[j].revents;
            if (!ev) continue;
            if (pfd[j].fd == p->fd && p->connected) exec_read_port(p);
            else if (pfd[j].fd == p->in && (pfd[j].events & POLLOUT)) exec_flush_stdin(p);
            else if (pfd[j].fd == p->out && p->out >= 0) exec_pump(p, &p->out, EXEC_STDOUT, 0);
            else if (pfd[j].fd == p->err && p->err >= 0) exec_pump(p, &p->err, EXEC_STDERR, 0);
        }
        if (!once)
            for (int i = 0; i < n; i++)
                if (!ports[i].connected && exec_host_open(ports[i].fd)) ports[i].connected = 1;
    }
}

static void exec_port_init(struct exec_port *p, int fd) {
    memset(p, 0, sizeof *p);
    p->fd = fd;
    p->in = p->out = p->err = -1;
}

/* Opens the exec ports not open yet; with patience, retries briefly while the driver names them. */
static int exec_open_ports(struct exec_port *ports, int n, int patience) {
    int stable = 0;
    for (int round = 0; round < (patience ? 200 : 1) && stable < 5; round++) {
        int before = n;
        DIR *d = opendir("/sys/class/virtio-ports");
        struct dirent *e;
        while (d && n < EXEC_MAX_PORTS && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char path[PATH_MAX], name[64] = "";
            snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            ssize_t got = read(fd, name, sizeof name - 1);
            close(fd);
            if (got <= 0) continue;
            name[got] = 0;
            name[strcspn(name, "\n")] = 0;
            size_t plen = strlen(EXEC_PORT_NAME);
            if (strncmp(name, EXEC_PORT_NAME, plen) != 0 || (name[plen] && name[plen] != '.')) continue;
            snprintf(path, sizeof path, "/dev/%s", e->d_name);
            struct stat st;
            if (stat(path, &st) != 0) continue;
            int dup = 0;
            for (int i = 0; i < n; i++) {
                struct stat have;
                if (fstat(ports[i].fd, &have) == 0 && have.st_rdev == st.st_rdev) dup = 1;
            }
            if (dup) continue;
            int pfd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            if (pfd < 0) {
                exec_log("open %s: %s", path, strerror(errno));
                continue;
            }
            exec_port_init(&ports[n], pfd);
            n++;
        }
        if (d) closedir(d);
        stable = n > 0 && n == before ? stable + 1 : 0;
        if (patience && stable < 5) usleep(10000);
    }
    return n;
}

/*
 * Forks the exec server (init calls it before it starts the application). The ports the driver has
 * named by now are opened here, before the application exists (a port opens only once: the
 * application cannot take them); the server looks for more for about 2 s when there are none yet
 * (a driver loaded as a module), and exits when it finds none (no virtio-serial: not QEMU).
 */
__attribute__((unused)) static void exec_server_start(void) {
    static struct exec_port ports[EXEC_MAX_PORTS];
    int n = exec_open_ports(ports, 0, 0);
    pid_t pid = fork();
    if (pid != 0) {
        for (int i = 0; i < n; i++) close(ports[i].fd);
        if (pid < 0) exec_log("fork: %s", strerror(errno));
        return;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGIO);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) {
        exec_log("signalfd: %s", strerror(errno));
        _exit(1);
    }
    if (n == 0) n = exec_open_ports(ports, 0, 1);
    if (n == 0) _exit(0);
    for (int i = 0; i < n; i++) {
        fcntl(ports[i].fd, F_SETOWN, getpid());
        fcntl(ports[i].fd, F_SETFL, fcntl(ports[i].fd, F_GETFL) | O_ASYNC);
        ports[i].connected = exec_host_open(ports[i].fd);
    }
    exec_serve(ports, n, sigfd, 0);
    _exit(0);
}

#endif
