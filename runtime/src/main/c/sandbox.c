/*
 * jurunc-sandbox: the process `jurunc create` leaves behind, and later the monitor itself.
 *
 *   jurunc-sandbox jurunc-waiter STATE_DIR [--ctty] [--netns PATH | --new-net]
 *                  [--new-pid | --pidns PATH] [--timestamps FILE --id ID]
 *
 * Pid namespace (first, and only with --new-pid or --pidns): a fresh pid namespace is unshared (or
 * the one at PATH joined with setns) and the process forks, as runc does; the child -- pid 1 of the
 * new namespace, or a member of the joined one -- goes on below and later becomes the monitor. The
 * parent writes the child's pid, as the caller's namespace numbers it, to STATE_DIR/waiter.pid
 * (created exclusively, never through a link) and exits 0, so the child is re-parented to the
 * nearest subreaper (containerd's shim). As pid 1 the waiter catches the terminating signals (a pid
 * namespace's init ignores signals it has no handler for) and exits 128+signal on them; exec resets
 * the handlers, so the monitor's own handling applies afterwards.
 *
 * Wait phase (create): a new session (and the pty on stdin as controlling tty with --ctty), fresh
 * IPC and UTS namespaces, the container's network namespace joined by path (or a fresh one), then
 * STATE_DIR/waiter.ready is created and the process blocks on STATE_DIR/start.fifo.
 *
 * Launch phase (start wrote STATE_DIR/monitor.launch, then a line into the FIFO): a private mount
 * namespace whose root is a fresh read-only tmpfs holding only the bind mounts the launch file
 * names; the old root is detached; then supplementary groups, gid and uid are switched to the
 * unprivileged monitor user, the capability bounding, ambient and effective sets are emptied and
 * no_new_privs is set. With filecaps=1 (a monitor that serves a writable share with the guest's
 * owners: QEMU's 9p security_model=passthrough) exactly CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER and
 * CAP_FSETID stay, in the bounding, permitted, effective, inheritable and ambient sets (ambient: they
 * survive the exec of the unprivileged monitor); everything else goes as without it. Device nodes
 * are bound on read-only mounts, so those capabilities cannot change their owners or modes. Every step is in this one process (the child, with a pid namespace), the pid
 * that create reported. No shell and no JVM are in the chain.
 *
 * Init phase: that process, now as confined as the monitor, forks the monitor and stays as its
 * parent, a small init: it forwards every signal it gets (but SIGCHLD) to the monitor, reaps what
 * dies, and exits with the container's status once the monitor is gone. The monitor dies with it
 * (PR_SET_PDEATHSIG; with a pid namespace the kernel kills the namespace anyway). Once the monitor
 * has exec'd, it writes "1" to STATE_DIR/monitor.execd (opened before the root changed) and the marker
 * "jurunc-waiter" in this process's argv becomes "jurunc-init" (start waits for either: a monitor that
 * exits at once, as Solo5's hello does, may take this process with it before start looks, and the file
 * tells that exit from a failed start); a monitor that cannot be exec'd makes it exit 127. With exitfd=N in the launch file the
 * monitor gets one end of a socket pair as descriptor N (QEMU's chardev of the virtio-serial port
 * io.jurunc.exit, where the guest init writes the app's status, one byte) and the status is:
 *   the byte the guest wrote, else 128+n when the monitor died of signal n, else the monitor's exit
 *   code when it is not 0, else 128+n when a terminating signal n was forwarded (QEMU exits 0 on
 *   SIGTERM), else 255: the VM stopped without a status (a guest kernel panic), never success.
 * Without exitfd (unikernels, other monitors) it is the monitor's exit code, or 128+n for signal n.
 *
 * monitor.launch is a sequence of NUL-terminated "key=value" records:
 *   root=DIR        empty directory to mount the new root on (required, first)
 *   rox=PATH        bind PATH read-only, exec allowed (the monitor and its libraries)
 *   ro=PATH         bind PATH read-only, noexec
 *   rw=PATH         bind PATH read-write, noexec
 *   dev=PATH        bind a device node (read-only mount: it opens for writing, its attributes are fixed)
 *   hostlink=PATH   recreate the host's symlink PATH (e.g. /lib -> usr/lib)
 *   shro=AT=SRC     bind SRC read-only, noexec, recursively, at AT in the new root (AT is a path the
 *   shrw=AT=SRC       runtime generates, under /jurunc/shares/, without '='): a directory or file that
 *                     the monitor shares with the guest (virtio-9p); AT need not exist on the host
 *   procpid=/proc   a procfs limited to the monitor's own processes (subset=pid, hidepid=invisible):
 *                     QEMU's 9p server changes modes of the files a guest creates through
 *                     /proc/self/fd, so a read-write share needs it
 *   uid=N gid=N     the monitor's user and group (never 0)
 *   group=N         a supplementary group (repeatable)
 *   env=K=V         the monitor's environment (repeatable; nothing else is inherited)
 *   arg=A           argv, arg[0] is the monitor binary's absolute path (repeatable)
 *   exitfd=N        the descriptor (3..255) at which the monitor gets its end of the exit socket pair
 *   filecaps=1      the monitor keeps CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER and CAP_FSETID
 *
 * Exit codes: 1 waiter errors and a closed FIFO, 126 launch errors, 127 exec failure; 128+N for a
 * terminating signal N caught by the waiter as a pid namespace's init; then the container's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LAUNCH (1 << 20)
#define MAX_ITEMS 4096

static const char *state_dir;
/* main's argv: the init phase overwrites the marker in argv[1] in place (/proc/PID/cmdline shows it). */
static char **main_argv;

static void die(int code, const char *fmt, ...) {
  va_list ap;
  char msg[1024];
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  dprintf(2, "jurunc-sandbox: %s\n", msg);
  _exit(code);
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  if (!s) die(126, "out of memory");
  snprintf(s, n, "%s/%s", a, b);
  return s;
}

static long parse_num(const char *s, const char *what, int code) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *s == '\0' || *end != '\0' || v < 0 || v > 0x7fffffffL) die(code, "bad %s '%s'", what, s);
  return v;
}

static void timestamp(const char *file, const char *id, const char *phase) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return; /* diagnostics only */
  dprintf(fd, "{\"containerID\":\"%s\",\"phase\":\"%s\",\"time\":%lld}\n", id, phase,
          (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  close(fd);
}

/* ---- pid namespace ------------------------------------------------------------------------- */

static void on_terminating_signal(int sig) {
  _exit(128 + sig);
}

/* Signals whose default action ends a process; as a namespace's init the waiter must catch them. */
static const int terminating[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM};

/*
 * Enters a fresh pid namespace (new_pid) or the one at pidns, and forks: returns in the child only.
 * The parent reports the child's pid in STATE_DIR/waiter.pid and exits.
 */
static void enter_pid_namespace(int new_pid, const char *pidns) {
  if (pidns) {
    int fd = open(pidns, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(1, "open %s: %s", pidns, strerror(errno));
    if (setns(fd, CLONE_NEWPID) < 0) die(1, "setns %s (a pid namespace?): %s", pidns, strerror(errno));
    close(fd);
  } else if (new_pid) {
    if (unshare(CLONE_NEWPID) < 0) die(1, "unshare(CLONE_NEWPID): %s", strerror(errno));
  } else {
    return;
  }
  pid_t child = fork();
  if (child < 0) die(1, "fork into the pid namespace: %s", strerror(errno));
  if (child == 0) {
    if (getpid() == 1) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_terminating_signal;
      sigfillset(&sa.sa_mask);
      for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        if (sigaction(terminating[i], &sa, NULL) < 0) die(1, "sigaction: %s", strerror(errno));
    }
    return;
  }
  char *path = join(state_dir, "waiter.pid");
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 || dprintf(fd, "%d\n", (int)child) < 0 || close(fd) < 0) {
    int saved = errno;
    kill(child, SIGKILL);
    die(1, "write %s: %s", path, strerror(saved));
  }
  _exit(0);
}

/* ---- wait phase ---------------------------------------------------------------------------- */

static void wait_phase(int argc, char **argv) {
  const char *netns = NULL, *pidns = NULL, *ts_file = NULL, *id = "";
  int new_net = 0, new_pid = 0, ctty = 0;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--ctty")) ctty = 1;
    else if (!strcmp(argv[i], "--new-net")) new_net = 1;
    else if (!strcmp(argv[i], "--netns") && i + 1 < argc) netns = argv[++i];
    else if (!strcmp(argv[i], "--new-pid")) new_pid = 1;
    else if (!strcmp(argv[i], "--pidns") && i + 1 < argc) pidns = argv[++i];
    else if (!strcmp(argv[i], "--timestamps") && i + 1 < argc) ts_file = argv[++i];
    else if (!strcmp(argv[i], "--id") && i + 1 < argc) id = argv[++i];
    else die(1, "unknown argument '%s'", argv[i]);
  }
  if (new_pid && pidns) die(1, "--new-pid and --pidns exclude each other");
  enter_pid_namespace(new_pid, pidns);
  if (setsid() < 0) die(1, "setsid: %s", strerror(errno));
  if (ctty && ioctl(0, TIOCSCTTY, 0) < 0) die(1, "TIOCSCTTY: %s", strerror(errno));
  if (unshare(CLONE_NEWIPC | CLONE_NEWUTS | (new_net ? CLONE_NEWNET : 0)) < 0)
    die(1, "unshare: %s", strerror(errno));
  if (netns) {
    int fd = open(netns, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(1, "open %s: %s", netns, strerror(errno));
    if (setns(fd, CLONE_NEWNET) < 0) die(1, "setns %s: %s", netns, strerror(errno));
    close(fd);
  }
  char *ready = join(state_dir, "waiter.ready");
  int rfd = open(ready, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (rfd < 0) die(1, "create %s: %s", ready, strerror(errno));
  close(rfd);
  char *fifo = join(state_dir, "start.fifo");
  int ffd = open(fifo, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (ffd < 0) die(1, "open %s: %s", fifo, strerror(errno));
  char line[64];
  ssize_t n;
  do n = read(ffd, line, sizeof line); while (n < 0 && errno == EINTR);
  if (n <= 0) _exit(1); /* the FIFO was closed without a start: delete or a dead start */
  close(ffd);
  if (ts_file) timestamp(ts_file, id, "monitor.exec");
}

/* ---- launch phase -------------------------------------------------------------------------- */

struct launch {
  const char *root;
  long uid, gid;
  long exitfd; /* -1: none */
  int filecaps; /* keep file_caps */
  gid_t groups[64];
  int ngroups;
  char *args[MAX_ITEMS];
  int nargs;
  char *envs[MAX_ITEMS];
  int nenvs;
};

static char *read_launch(size_t *len) {
  char *path = join(state_dir, "monitor.launch");
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) die(126, "open %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
    die(126, "%s is not a regular root-owned file writable only by root", path);
  if (st.st_size > MAX_LAUNCH) die(126, "%s is larger than %d bytes", path, MAX_LAUNCH);
  char *buf = malloc((size_t)st.st_size + 1);
  if (!buf) die(126, "out of memory");
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die(126, "read %s: %s", path, n < 0 ? strerror(errno) : "short read");
    got += (size_t)n;
  }
  close(fd);
  buf[got] = '\0';
  *len = got;
  return buf;
}

/* mkdir -p for the parents of path inside the new root (path is absolute). */
static void make_parents(const char *root, const char *path) {
  char *full = join(root, path + 1);
  for (char *p = full + strlen(root) + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(full, 0755) < 0 && errno != EEXIST) die(126, "mkdir %s: %s", full, strerror(errno));
    *p = '/';
  }
  free(full);
}

static void bind_path(const char *root, const char *src, unsigned long flags) {
  if (src[0] != '/') die(126, "bind source '%s' is not absolute", src);
  struct stat st;
  if (stat(src, &st) < 0) die(126, "stat %s: %s", src, strerror(errno));
  make_parents(root, src);
  char *dst = join(root, src + 1);
  struct stat have;
  if (lstat(dst, &have) == 0) {
    /* already there: a file under a directory bound earlier (e.g. firmware under /usr) */
    if (!S_ISDIR(have.st_mode) != !S_ISDIR(st.st_mode)) die(126, "bind %s: type clash in the new root", src);
  } else if (S_ISDIR(st.st_mode)) {
    if (mkdir(dst, 0755) < 0 && errno != EEXIST) die(126, "mkdir %s: %s", dst, strerror(errno));
  } else {
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) die(126, "create %s: %s", dst, strerror(errno));
    close(fd);
  }
  if (mount(src, dst, NULL, MS_BIND, NULL) < 0) die(126, "bind %s: %s", src, strerror(errno));
  if (mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
    die(126, "remount %s: %s", dst, strerror(errno));
  free(dst);
}

/*
 * A shared path (shro=/shrw=): SRC, resolved by root before the privileges are dropped (so only SRC's
 * own mode matters to the monitor, not its host parents'), bound with its submounts at AT in the new
 * root; AT's parents are created in the root's tmpfs, AT itself as a directory or an empty file.
 */
static void bind_share(const char *root, char *value, unsigned long flags) {
  char *eq = strchr(value, '=');
  if (!eq || value[0] != '/' || eq[1] != '/') die(126, "monitor.launch: bad share '%s'", value);
  *eq = '\0';
  const char *at = value, *src = eq + 1;
  struct stat st;
  if (stat(src, &st) < 0) die(126, "stat %s: %s", src, strerror(errno));
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) die(126, "share %s: not a directory or regular file", src);
  make_parents(root, at);
  char *dst = join(root, at + 1);
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(dst, 0755) < 0 && errno != EEXIST) die(126, "mkdir %s: %s", dst, strerror(errno));
  } else {
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) die(126, "create %s: %s", dst, strerror(errno));
    close(fd);
  }
  if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) die(126, "bind %s: %s", src, strerror(errno));
  if (mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
    die(126, "remount %s: %s", dst, strerror(errno));
  free(dst);
  *eq = '=';
}

/* procpid=/proc: only pid directories (no sysctls), only the monitor uid's processes, read-only. */
static void mount_proc_pid(const char *root, const char *path) {
  if (strcmp(path, "/proc") != 0) die(126, "monitor.launch: procpid must be /proc");
  char *dst = join(root, "proc");
  if (mkdir(dst, 0555) < 0 && errno != EEXIST) die(126, "mkdir %s: %s", dst, strerror(errno));
  if (mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "subset=pid,hidepid=invisible") < 0)
    die(126, "mount proc on %s: %s", dst, strerror(errno));
  free(dst);
}

static void host_link(const char *root, const char *path) {
  char target[4096];
  ssize_t n = readlink(path, target, sizeof target - 1);
  if (n < 0) die(126, "readlink %s: %s", path, strerror(errno));
  target[n] = '\0';
  make_parents(root, path);
  char *dst = join(root, path + 1);
  if (symlink(target, dst) < 0 && errno != EEXIST) die(126, "symlink %s: %s", dst, strerror(errno));
  free(dst);
}

/* What filecaps=1 keeps: storing the guest's owners and modes in a writable share (all below 32). */
static const int file_caps[] = {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID};
#define N_FILE_CAPS (sizeof file_caps / sizeof file_caps[0])

static int is_file_cap(int cap) {
  for (size_t i = 0; i < N_FILE_CAPS; i++)
    if (file_caps[i] == cap) return 1;
  return 0;
}

static void drop_privileges(const struct launch *l) {
  if (l->uid <= 0 || l->gid <= 0) die(126, "the monitor's uid and gid must be set and not 0");
  for (int cap = 0; cap <= 63; cap++) {
    if (l->filecaps && is_file_cap(cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      die(126, "PR_CAPBSET_DROP %d: %s", cap, strerror(errno));
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    die(126, "clear ambient capabilities: %s", strerror(errno));
  /* SECBIT_KEEP_CAPS: the permitted set survives the switch to the monitor's uid (then trimmed) */
  if (l->filecaps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) die(126, "PR_SET_KEEPCAPS: %s", strerror(errno));
  if (setgroups((size_t)l->ngroups, l->groups) < 0) die(126, "setgroups: %s", strerror(errno));
  if (setresgid((gid_t)l->gid, (gid_t)l->gid, (gid_t)l->gid) < 0) die(126, "setresgid: %s", strerror(errno));
  if (setresuid((uid_t)l->uid, (uid_t)l->uid, (uid_t)l->uid) < 0) die(126, "setresuid: %s", strerror(errno));
  /* Without filecaps setresuid from 0 to non-zero has cleared the permitted and effective sets; make
   * sure. With it, exactly file_caps stay permitted, effective and inheritable. */
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  __u32 mask = 0;
  if (l->filecaps)
    for (size_t i = 0; i < N_FILE_CAPS; i++) mask |= 1u << file_caps[i];
  data[0].effective = data[0].permitted = data[0].inheritable = mask;
  if (syscall(SYS_capset, &hdr, data) < 0) die(126, "capset: %s", strerror(errno));
  if (l->filecaps) {
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) die(126, "PR_SET_KEEPCAPS: %s", strerror(errno));
    /* ambient: the unprivileged monitor's exec keeps them (no file capabilities, no setuid needed) */
    for (size_t i = 0; i < N_FILE_CAPS; i++)
      if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, file_caps[i], 0, 0) < 0)
        die(126, "raise ambient capability %d: %s", file_caps[i], strerror(errno));
  }
  struct __user_cap_data_struct got[2];
  memset(got, 0, sizeof got);
  if (syscall(SYS_capget, &hdr, got) < 0) die(126, "capget: %s", strerror(errno));
  if (got[0].effective != mask || got[0].permitted != mask || got[0].inheritable != mask || got[1].effective
      || got[1].permitted || got[1].inheritable)
    die(126, "the capability sets are not what the launch asked for");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die(126, "no_new_privs: %s", strerror(errno));
  if (getuid() == 0 || geteuid() == 0) die(126, "still root after setresuid");
}

/* ---- init phase ---------------------------------------------------------------------------- */

/* The status when the guest should have reported one and nothing came: never success. */
#define NO_GUEST_STATUS 255

static void nothing(int sig) {
  (void)sig;
}

/* Default actions that end a process (what a forwarded signal that ended the monitor stands for). */
static int terminates(int sig) {
  switch (sig) {
  case SIGCHLD: case SIGCONT: case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: case SIGURG:
  case SIGWINCH:
    return 0;
  default:
    return 1;
  }
}

/* In the forked child: the monitor. Never returns. */
static void exec_monitor(const struct launch *l, const sigset_t *orig, int exit_end, int errpipe, pid_t init) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != init) _exit(126);
  if (exit_end >= 0) {
    if (exit_end == l->exitfd) {
      if (fcntl(exit_end, F_SETFD, 0) < 0) _exit(126);
    } else if (dup2(exit_end, (int)l->exitfd) < 0) {
      _exit(126);
    }
  }
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL); /* EINVAL for KILL, STOP, glibc's own */
  sigprocmask(SIG_SETMASK, orig, NULL);
  execve(l->args[0], l->args, l->envs);
  int err = errno;
  ssize_t w = write(errpipe, &err, sizeof err);
  (void)w;
  _exit(127);
}

/* STATE_DIR/monitor.execd, opened by the launch phase while the host's root is still there. */
static int execd_fd = -1;

/* The marker start waits to disappear: "jurunc-waiter" becomes "jurunc-init" in place. */
static void mark_running(void) {
  if (execd_fd >= 0) {
    ssize_t w;
    do w = write(execd_fd, "1", 1); while (w < 0 && errno == EINTR);
    close(execd_fd);
    execd_fd = -1;
  }
  char *marker = main_argv[1];
  size_t n = strlen(marker);
  memset(marker, 0, n);
  memcpy(marker, "jurunc-init", n < 11 ? n : 11);
}

/* Forks and waits for the monitor (see the file's comment); exits with the container's status. */
static void init_phase(const struct launch *l) {
  sigset_t all, orig;
  sigfillset(&all);
  if (sigprocmask(SIG_BLOCK, &all, &orig) < 0) die(126, "sigprocmask: %s", strerror(errno));
  /* A handler for every signal: a pid namespace's init gets from outside only those it handles. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = nothing;
  sigfillset(&sa.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &sa, NULL);
  int pair[2] = {-1, -1};
  if (l->exitfd >= 0 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    die(126, "socketpair: %s", strerror(errno));
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) < 0) die(126, "pipe: %s", strerror(errno));
  pid_t init = getpid();
  pid_t monitor = fork();
  if (monitor < 0) die(126, "fork the monitor: %s", strerror(errno));
  if (monitor == 0) {
    close(errpipe[0]);
    if (pair[0] >= 0) close(pair[0]);
    exec_monitor(l, &orig, pair[1], errpipe[1], init);
  }
  if (pair[1] >= 0) close(pair[1]);
  close(errpipe[1]);
  int err = 0;
  ssize_t n;
  do n = read(errpipe[0], &err, sizeof err); while (n < 0 && errno == EINTR);
  close(errpipe[0]);
  if (n > 0) {
    waitpid(monitor, NULL, 0);
    die(127, "exec %s: %s", l->args[0], strerror(err));
  }
  mark_running();

  int status = 0, forwarded = 0;
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(&all, &si);
    if (sig < 0) continue;
    if (sig != SIGCHLD) {
      if (terminates(sig)) forwarded = sig;
      kill(monitor, sig);
      continue;
    }
    int st, done = 0;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
      if (p == monitor) {
        status = st;
        done = 1;
      }
    }
    if (done) break;
  }
  if (pair[0] >= 0) {
    unsigned char b;
    ssize_t got;
    do got = recv(pair[0], &b, 1, MSG_DONTWAIT); while (got < 0 && errno == EINTR);
    if (got == 1) _exit(b);
  }
  if (WIFSIGNALED(status)) _exit(128 + WTERMSIG(status));
  int code = WEXITSTATUS(status);
  if (pair[0] < 0 || code != 0) _exit(code);
  _exit(forwarded ? 128 + forwarded : NO_GUEST_STATUS);
}

static void launch_phase(void) {
  size_t len;
  char *buf = read_launch(&len);
  struct launch l = {0};
  l.uid = l.gid = l.exitfd = -1;
  /* First pass: identity, argv, env, and the root (must come before any bind). */
  for (size_t off = 0; off < len;) {
    char *rec = buf + off;
    size_t n = strnlen(rec, len - off);
    if (off + n >= len) die(126, "monitor.launch: unterminated record");
    off += n + 1;
    char *eq = strchr(rec, '=');
    if (!eq) die(126, "monitor.launch: record without '='");
    *eq = '\0';
    char *v = eq + 1;
    if (!strcmp(rec, "root")) l.root = v;
    else if (!strcmp(rec, "uid")) l.uid = parse_num(v, "uid", 126);
    else if (!strcmp(rec, "gid")) l.gid = parse_num(v, "gid", 126);
    else if (!strcmp(rec, "exitfd")) {
      l.exitfd = parse_num(v, "exitfd", 126);
      if (l.exitfd < 3 || l.exitfd > 255) die(126, "monitor.launch: exitfd %ld is not in 3..255", l.exitfd);
    }
    else if (!strcmp(rec, "filecaps")) {
      if (strcmp(v, "1") != 0) die(126, "monitor.launch: filecaps must be 1, got '%s'", v);
      l.filecaps = 1;
    }
    else if (!strcmp(rec, "group")) {
      if (l.ngroups == 64) die(126, "too many groups");
      l.groups[l.ngroups++] = (gid_t)parse_num(v, "group", 126);
    } else if (!strcmp(rec, "arg")) {
      if (l.nargs == MAX_ITEMS - 1) die(126, "too many arguments");
      l.args[l.nargs++] = v;
    } else if (!strcmp(rec, "env")) {
      if (l.nenvs == MAX_ITEMS - 1) die(126, "too many environment entries");
      l.envs[l.nenvs++] = v;
    } else if (strcmp(rec, "rox") && strcmp(rec, "ro") && strcmp(rec, "rw") && strcmp(rec, "dev")
               && strcmp(rec, "hostlink") && strcmp(rec, "shro") && strcmp(rec, "shrw")
               && strcmp(rec, "procpid")) {
      die(126, "monitor.launch: unknown key '%s'", rec);
    }
    *eq = '=';
  }
  if (!l.root || l.root[0] != '/') die(126, "monitor.launch: no absolute root");
  if (l.nargs == 0 || l.args[0][0] != '/') die(126, "monitor.launch: no absolute monitor path");

  char *execd = join(state_dir, "monitor.execd");
  execd_fd = open(execd, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (execd_fd < 0) die(126, "open %s: %s", execd, strerror(errno));
  free(execd);

  if (unshare(CLONE_NEWNS) < 0) die(126, "unshare(CLONE_NEWNS): %s", strerror(errno));
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die(126, "make / private: %s", strerror(errno));
  if (mount("tmpfs", l.root, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=256k,nr_inodes=1024") < 0)
    die(126, "mount tmpfs on %s: %s", l.root, strerror(errno));
  const unsigned long base = MS_RDONLY | MS_NOSUID;
  for (size_t off = 0; off < len;) {
    char *rec = buf + off;
    off += strlen(rec) + 1;
    char *v = strchr(rec, '=') + 1;
    if (!strncmp(rec, "rox=", 4)) bind_path(l.root, v, base | MS_NODEV);
    else if (!strncmp(rec, "ro=", 3)) bind_path(l.root, v, base | MS_NODEV | MS_NOEXEC);
    else if (!strncmp(rec, "rw=", 3)) bind_path(l.root, v, MS_NOSUID | MS_NODEV | MS_NOEXEC);
    else if (!strncmp(rec, "dev=", 4)) bind_path(l.root, v, MS_RDONLY | MS_NOSUID | MS_NOEXEC);
    else if (!strncmp(rec, "hostlink=", 9)) host_link(l.root, v);
    else if (!strncmp(rec, "shro=", 5)) bind_share(l.root, v, base | MS_NODEV | MS_NOEXEC);
    else if (!strncmp(rec, "shrw=", 5)) bind_share(l.root, v, MS_NOSUID | MS_NODEV | MS_NOEXEC);
    else if (!strncmp(rec, "procpid=", 8)) mount_proc_pid(l.root, v);
  }
  if (mount(NULL, l.root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
    die(126, "remount the new root read-only: %s", strerror(errno));
  if (chdir(l.root) < 0) die(126, "chdir %s: %s", l.root, strerror(errno));
  if (syscall(SYS_pivot_root, ".", ".") < 0) die(126, "pivot_root: %s", strerror(errno));
  if (umount2(".", MNT_DETACH) < 0) die(126, "detach the old root: %s", strerror(errno));
  if (chdir("/") < 0) die(126, "chdir /: %s", strerror(errno));

  drop_privileges(&l);
  l.args[l.nargs] = NULL;
  l.envs[l.nenvs] = NULL;
  init_phase(&l);
}

int main(int argc, char **argv) {
  /* jurunc-exec PATH ARGV0 [ARG...]: exec PATH with ARGV0 as its argv[0] (an OCI hook whose args[0]
   * is not its path, such as Docker's libnetwork-setkey; a JVM cannot set argv[0] itself). The
   * environment is passed through unchanged. */
  if (argc >= 4 && strcmp(argv[1], "jurunc-exec") == 0) {
    if (argv[2][0] != '/') die(127, "jurunc-exec: PATH must be absolute");
    execv(argv[2], &argv[3]);
    die(127, "exec %s: %s", argv[2], strerror(errno));
  }
  if (argc < 3 || strcmp(argv[1], "jurunc-waiter") != 0) {
    dprintf(2, "usage: jurunc-sandbox jurunc-waiter STATE_DIR [--ctty] [--netns PATH | --new-net] "
               "[--new-pid | --pidns PATH] [--timestamps FILE --id ID]\n"
               "       jurunc-sandbox jurunc-exec PATH ARGV0 [ARG...]\n");
    return 2;
  }
  state_dir = argv[2];
  main_argv = argv;
  if (state_dir[0] != '/') die(1, "STATE_DIR must be absolute");
  wait_phase(argc, argv);
  launch_phase();
  return 126;
}
