/*
 * jurunc guest init: PID 1 of a jurunc Linux microVM.
 *
 * Built static (gcc -static -Os) by scripts/build-kit.sh and placed at /jurunc/init.
 * 1. mounts /proc, /sys, /dev (devtmpfs), /dev/pts, /dev/shm where they are not mounted yet;
 * 2. loads the kernel modules listed in /jurunc/modules (one path per line, in order);
 * 3. configures lo and, from ip=<IP>::<GW>:<MASK>:<host>:<dev>:off on the kernel cmdline, the NIC;
 * 4. reads /jurunc/process (see docs/guest.md for the format); when it names a root (a block
 *    device or a virtio-9p share), mounts it and switches to it (the initramfs then carries only
 *    this init and its files); makes the mounts it lists (9p shares, single files out of a 9p
 *    share, tmpfs); sets the hostname, forks and execs the application with its args, env, cwd,
 *    uid, gid and additional gids;
 * 5. reaps zombies and forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 to the app;
 * 6. when the app exits: prints "jurunc-init: exit status N" (only when N != 0, or always with
 *    jurunc.debug=1), writes N (one byte; 128+n for a signal n) to the virtio-serial port
 *    io.jurunc.exit where the monitor has one (QEMU: the sandbox init on the host exits with it),
 *    syncs and reboots, which makes QEMU (-no-reboot, reboot=t) exit.
 *
 * With jurunc.debug=1 or jurunc.timestamps=1 on the kernel cmdline it prints
 * "jurunc-init: started at uptime X.XXX" as its first action and "jurunc-init: exec at uptime
 * X.XXX" just before it starts the app (after modules and network).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec-server.h"

#define PROCESS_FILE "/jurunc/process"
#define MODULES_FILE "/jurunc/modules"
#define PROCESS_MAGIC "JURUNC-PROCESS-1"
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int debug;
static int timestamps;

static void say(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
    memmove(buf + 13, buf, n);
    memcpy(buf, "jurunc-init: ", 13);
    n += 13;
    if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
    buf[n++] = '\n';
    ssize_t w = write(2, buf, n);
    (void)w;
}

static void exit_port_report(int code);

static void die_reboot(int code) {
    exit_port_report(code);
    /* Keep the kernel's "reboot: Restarting system" off the app's console output. */
    if (!debug) {
        int fd = open("/proc/sys/kernel/printk", O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t w = write(fd, "0", 1);
            (void)w;
            close(fd);
        }
    }
    sync();
    reboot(RB_AUTOBOOT);
    _exit(code); /* only reached outside a VM (tests) */
}

/* Reads a whole (small) file into a NUL-terminated heap buffer. */
static char *slurp(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += r;
    }
    close(fd);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

/* ---------- mounts ---------- */

static int is_mountpoint(const char *path) {
    struct stat st, parent;
    char up[PATH_MAX];
    snprintf(up, sizeof up, "%s/..", path);
    if (stat(path, &st) != 0 || stat(up, &parent) != 0) return 0;
    return st.st_dev != parent.st_dev || st.st_ino == parent.st_ino;
}

static void mount_if_missing(const char *src, const char *dir, const char *type,
                             unsigned long flags, const char *data, mode_t mode) {
    if (mkdir(dir, mode) != 0 && errno != EEXIST) {
        say("mkdir %s: %s", dir, strerror(errno));
        return;
    }
    if (is_mountpoint(dir)) return;
    if (mount(src, dir, type, flags, data) != 0 && errno != EBUSY)
        say("mount %s on %s: %s", type, dir, strerror(errno));
}

static void setup_mounts(void) {
    mount_if_missing("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555);
    mount_if_missing("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555);
    mount_if_missing("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", 0755);
    mount_if_missing("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                     "gid=5,mode=0620,ptmxmode=0666", 0755);
    mount_if_missing("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", 01777);
    if (mkdir("/tmp", 01777) == 0) chmod("/tmp", 01777);
    if (access("/dev/ptmx", F_OK) != 0) {
        if (symlink("pts/ptmx", "/dev/ptmx") != 0) { /* best effort */ }
    }
}

/* ---------- exit port ---------- */

#define EXIT_PORT_NAME "io.jurunc.exit"
#define VIRTIO_PORTS "/sys/class/virtio-ports"

/* Held from boot on (close-on-exec): the app cannot open the port (a port opens once) and forge it. */
static int exit_port_fd = -1;

/*
 * Opens the port named EXIT_PORT_NAME: 0 when open, 1 when some port is not named (yet), -1 when
 * there is no port at all (no virtio-serial device: Firecracker, Cloud Hypervisor).
 */
static int exit_port_try_open(void) {
    if (exit_port_fd >= 0) return 0;
    DIR *d = opendir(VIRTIO_PORTS);
    if (!d) return -1;
    int ports = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        ports++;
        char path[PATH_MAX], name[64];
        snprintf(path, sizeof path, VIRTIO_PORTS "/%s/name", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ssize_t n = read(fd, name, sizeof name - 1);
        close(fd);
        if (n <= 0) continue;
        name[n] = 0;
        if (name[n - 1] == '\n') name[n - 1] = 0;
        if (strcmp(name, EXIT_PORT_NAME) != 0) continue;
        snprintf(path, sizeof path, "/dev/%s", e->d_name);
        exit_port_fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (exit_port_fd < 0) say("open %s (%s): %s", path, EXIT_PORT_NAME, strerror(errno));
        break;
    }
    closedir(d);
    return exit_port_fd >= 0 ? 0 : ports > 0 ? 1 : -1;
}

/* At boot: the port, if the driver has named it by now (a module loads and names it a little later). */
static void exit_port_open(void) {
    exit_port_try_open();
}

/*
 * Writes the exit status, one byte, to the exit port. The write blocks until the host has taken the
 * byte, so it is on the host before the reboot ends the monitor. A monitor with virtio-serial ports but
 * a port not named yet gets up to 2 s; without any port (Firecracker, Cloud Hypervisor) nothing waits.
 */
static void exit_port_report(int code) {
    mount_if_missing("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555);
    mount_if_missing("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", 0755);
    for (int i = 0; i < 400 && exit_port_try_open() == 1; i++) usleep(5000);
    if (exit_port_fd < 0) return;
    unsigned char b = (unsigned char)code;
    ssize_t w;
    do w = write(exit_port_fd, &b, 1); while (w < 0 && errno == EINTR);
    if (w != 1) say("write %s: %s", EXIT_PORT_NAME, w < 0 ? strerror(errno) : "short write");
}

/* ---------- kernel cmdline ---------- */

static char *cmdline;

/* Returns a malloc'd copy of the value of key=value from the kernel cmdline, or NULL. */
static char *cmdline_value(const char *key) {
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (p && *p) {
        while (*p == ' ' || *p == '\n') p++;
        const char *end = p;
        while (*end && *end != ' ' && *end != '\n') end++;
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=')
            return strndup(p + klen + 1, end - p - klen - 1);
        p = end;
    }
    return NULL;
}

static int cmdline_flag(const char *key) {
    char *v = cmdline_value(key);
    int on = v && strcmp(v, "0") != 0 && *v;
    free(v);
    return on;
}

static void print_uptime(const char *what) {
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    say("%s at uptime %ld.%03ld", what, (long)ts.tv_sec, ts.tv_nsec / 1000000);
}

/* ---------- modules ---------- */

static void load_modules(void) {
    char *list = slurp(MODULES_FILE, NULL);
    if (!list) return;
    char *save = NULL;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!*line || *line == '#') continue;
        int fd = open(line, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            say("module %s: %s", line, strerror(errno));
            continue;
        }
        if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
            say("finit_module %s: %s", line, strerror(errno));
        close(fd);
    }
    free(list);
}

/* ---------- network ---------- */

static int set_addr(struct sockaddr *sa, const char *text) {
    struct sockaddr_in *in = (struct sockaddr_in *)sa;
    memset(in, 0, sizeof *in);
    in->sin_family = AF_INET;
    return inet_pton(AF_INET, text, &in->sin_addr) == 1 ? 0 : -1;
}

static int if_up(int s, const char *name) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) return -1;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(s, SIOCSIFFLAGS, &ifr);
}

/*
 * Announces the guest's address on the NIC (RFC 5227's ARP announcement: a broadcast request whose
 * sender and target are both that address). A peer that tried to reach the container while the
 * guest was still booting has an unanswered ARP request behind it and would retry only after its
 * retransmit time (1 s by default on Linux); the announcement updates its neighbour entry at once,
 * so the first connection to a new microVM does not wait for that retry. Best effort: a kernel
 * without packet sockets just skips it.
 */
static void announce(int s, const char *dev, const char *addr) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFHWADDR, &ifr) != 0 || ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) return;
    struct __attribute__((packed)) {
        uint16_t htype, ptype;
        uint8_t hlen, plen;
        uint16_t oper;
        uint8_t sha[ETH_ALEN], spa[4], tha[ETH_ALEN], tpa[4];
    } arp;
    memset(&arp, 0, sizeof arp);
    arp.htype = htons(ARPHRD_ETHER);
    arp.ptype = htons(ETH_P_IP);
    arp.hlen = ETH_ALEN;
    arp.plen = 4;
    arp.oper = htons(ARPOP_REQUEST);
    memcpy(arp.sha, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
    if (inet_pton(AF_INET, addr, arp.spa) != 1) return;
    memcpy(arp.tpa, arp.spa, 4);
    struct sockaddr_ll to;
    memset(&to, 0, sizeof to);
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(ETH_P_ARP);
    to.sll_ifindex = (int)if_nametoindex(dev);
    to.sll_halen = ETH_ALEN;
    memset(to.sll_addr, 0xff, ETH_ALEN);
    int ps = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
    if (ps < 0) {
        if (debug) say("announce %s: %s", addr, strerror(errno));
        return;
    }
    if (sendto(ps, &arp, sizeof arp, 0, (struct sockaddr *)&to, sizeof to) < 0)
        say("announce %s on %s: %s", addr, dev, strerror(errno));
    close(ps);
}

/* The hostname field of ip=, used when the process description names none. */
static char *ip_hostname;

/* ip=<client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>[:...] */
static void setup_network(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        say("socket: %s", strerror(errno));
        return;
    }
    if (if_up(s, "lo") != 0) say("lo up: %s", strerror(errno));
    char *ip = cmdline_value("ip");
    if (!ip) {
        close(s);
        return;
    }
    char *field[7] = {0};
    char *p = ip;
    for (int i = 0; i < 7 && p; i++) {
        field[i] = p;
        p = strchr(p, ':');
        if (p) *p++ = 0;
    }
    const char *addr = field[0], *gw = field[2], *mask = field[3];
    if (field[4] && *field[4]) ip_hostname = strdup(field[4]);
    const char *dev = field[5] && *field[5] ? field[5] : "eth0";
    if (!addr || !*addr || strcmp(addr, "off") == 0 || strcmp(addr, "dhcp") == 0) goto out;

    /* A NIC probed by a just-loaded module may take a moment to register. */
    for (int i = 0; i < 200 && if_nametoindex(dev) == 0; i++) usleep(5000);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
    if (set_addr(&ifr.ifr_addr, addr) != 0) {
        say("ip=: bad address %s", addr);
        goto out;
    }
    if (ioctl(s, SIOCSIFADDR, &ifr) != 0) {
        say("set address %s on %s: %s", addr, dev, strerror(errno));
        goto out;
    }
    if (mask && *mask) {
        memset(&ifr.ifr_addr, 0, sizeof ifr.ifr_addr);
        if (set_addr(&ifr.ifr_netmask, mask) != 0 || ioctl(s, SIOCSIFNETMASK, &ifr) != 0)
            say("set netmask %s on %s: %s", mask, dev, strerror(errno));
    }
    if (if_up(s, dev) != 0) say("%s up: %s", dev, strerror(errno));
    else announce(s, dev, addr);
    if (gw && *gw) {
        struct rtentry rt;
        memset(&rt, 0, sizeof rt);
        set_addr(&rt.rt_dst, "0.0.0.0");
        set_addr(&rt.rt_genmask, "0.0.0.0");
        if (set_addr(&rt.rt_gateway, gw) != 0) {
            say("ip=: bad gateway %s", gw);
            goto out;
        }
        rt.rt_flags = RTF_UP | RTF_GATEWAY;
        rt.rt_dev = (char *)dev;
        if (ioctl(s, SIOCADDRT, &rt) != 0 && errno != EEXIST) {
            /* A gateway outside the interface's subnet: add a host route to it first. */
            struct rtentry host;
            memset(&host, 0, sizeof host);
            set_addr(&host.rt_dst, gw);
            set_addr(&host.rt_genmask, "255.255.255.255");
            host.rt_flags = RTF_UP | RTF_HOST;
            host.rt_dev = (char *)dev;
            if (ioctl(s, SIOCADDRT, &host) != 0 && errno != EEXIST)
                say("route to gateway %s: %s", gw, strerror(errno));
            if (ioctl(s, SIOCADDRT, &rt) != 0 && errno != EEXIST)
                say("default route via %s: %s", gw, strerror(errno));
        }
    }
out:
    free(ip);
    close(s);
}

/* ---------- process description ---------- */

/* A mount from /jurunc/process: "TYPE\nSOURCE\nDEST\nFLAGS\nDATA" (see GuestMount.java). */
struct gmount {
    const char *type, *source, *dest, *data;
    unsigned long flags;
};

struct process {
    struct gmount *root;
    struct gmount *mounts;
    int nmounts;
    char **args;
    int nargs;
    char **env;
    int nenv;
    const char *cwd;
    const char *hostname;
    uid_t uid;
    gid_t gid;
    gid_t *gids;
    int ngids;
};

static int parse_id(const char *text, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || !*text || *end || v > 0xffffffffUL) return -1;
    *out = v;
    return 0;
}

/* Splits a mount value in place; returns -1 when it is malformed. */
static int parse_mount(char *val, struct gmount *m) {
    char *field[5];
    char *p = val;
    for (int i = 0; i < 5; i++) {
        field[i] = p;
        if (i == 4) break;
        p = strchr(p, '\n');
        if (!p) return -1;
        *p++ = 0;
    }
    if (strchr(field[4], '\n')) return -1;
    m->type = field[0];
    m->source = field[1];
    m->dest = field[2];
    m->data = field[4];
    m->flags = 0;
    if (m->dest[0] != '/') return -1;
    char *save = NULL;
    for (char *f = strtok_r(field[3], ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (strcmp(f, "ro") == 0) m->flags |= MS_RDONLY;
        else if (strcmp(f, "nosuid") == 0) m->flags |= MS_NOSUID;
        else if (strcmp(f, "nodev") == 0) m->flags |= MS_NODEV;
        else if (strcmp(f, "noexec") == 0) m->flags |= MS_NOEXEC;
        else return -1;
    }
    return 0;
}

/*
 * The file is a sequence of NUL-terminated strings: the magic "JURUNC-PROCESS-1", then
 * (tag, value) pairs. Tags: arg (repeated, in order), env (repeated, K=V), cwd, uid, gid,
 * group (repeated: additional gids), hostname, root (at most one) and mount (repeated), the last
 * two as parse_mount reads them. Values may hold any byte except NUL.
 */
static int read_process(struct process *p) {
    size_t len;
    char *buf = slurp(PROCESS_FILE, &len);
    if (!buf) {
        say("cannot read %s: %s", PROCESS_FILE, strerror(errno));
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->cwd = "/";
    size_t cap = 0;
    for (size_t i = 0; i < len; i++) cap += buf[i] == 0;
    p->args = calloc(cap + 1, sizeof *p->args);
    p->env = calloc(cap + 1, sizeof *p->env);
    p->gids = calloc(cap + 1, sizeof *p->gids);
    p->mounts = calloc(cap + 1, sizeof *p->mounts);
    char *pos = buf, *end = buf + len;
    if (len == 0 || buf[len - 1] != 0 || strcmp(pos, PROCESS_MAGIC) != 0) {
        say("%s: not a jurunc process description", PROCESS_FILE);
        return -1;
    }
    pos += strlen(pos) + 1;
    while (pos < end) {
        char *tag = pos;
        pos += strlen(pos) + 1;
        if (pos >= end) {
            say("%s: tag %s has no value", PROCESS_FILE, tag);
            return -1;
        }
        char *val = pos;
        pos += strlen(pos) + 1;
        unsigned long id;
        if (strcmp(tag, "arg") == 0) p->args[p->nargs++] = val;
        else if (strcmp(tag, "env") == 0) p->env[p->nenv++] = val;
        else if (strcmp(tag, "cwd") == 0) p->cwd = val;
        else if (strcmp(tag, "hostname") == 0) p->hostname = val;
        else if (strcmp(tag, "uid") == 0 && parse_id(val, &id) == 0) p->uid = id;
        else if (strcmp(tag, "gid") == 0 && parse_id(val, &id) == 0) p->gid = id;
        else if (strcmp(tag, "group") == 0 && parse_id(val, &id) == 0) p->gids[p->ngids++] = id;
        else if (strcmp(tag, "mount") == 0 && parse_mount(val, &p->mounts[p->nmounts]) == 0) p->nmounts++;
        else if (strcmp(tag, "root") == 0 && !p->root && (p->root = calloc(1, sizeof *p->root)) &&
                 parse_mount(val, p->root) == 0) { /* the root to switch to */ }
        else {
            say("%s: bad entry %s=%s", PROCESS_FILE, tag, val);
            return -1;
        }
    }
    if (p->nargs == 0) {
        say("%s: no args", PROCESS_FILE);
        return -1;
    }
    return 0;
}

static const char *env_path(const struct process *p) {
    for (int i = 0; i < p->nenv; i++)
        if (strncmp(p->env[i], "PATH=", 5) == 0) return p->env[i] + 5;
    return DEFAULT_PATH;
}

static void mkdir_p(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(buf, 0755);
        *s = '/';
    }
    mkdir(buf, 0755);
}

/* ---------- root and mounts from the process description ---------- */

#define NINEP_OPTS "trans=virtio,version=9p2000.L,msize=262144"
#define STAGE_DIR "/dev/.jurunc"

static void fatal(int code) {
    say("exit status %d", code);
    die_reboot(code);
}

static int mount_9p(const char *tag, const char *dir, unsigned long flags, const char *cache) {
    char opts[128];
    snprintf(opts, sizeof opts, NINEP_OPTS ",cache=%s", cache);
    return mount(tag, dir, "9p", flags, opts);
}

/* A mount point: a directory, or (file) an empty file, with its parents; an existing one is kept. */
static int make_mount_point(const char *dest, int file) {
    struct stat st;
    if (stat(dest, &st) == 0) return 0;
    if (!file) {
        mkdir_p(dest);
        return stat(dest, &st);
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dest);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = 0;
        mkdir_p(parent);
    }
    int fd = open(dest, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/* Mounts the root named by the process description on /newroot and makes it the root. */
static void switch_root(const struct gmount *r) {
    mount_if_missing("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", 0755);
    if (mkdir("/newroot", 0755) != 0 && errno != EEXIST) say("mkdir /newroot: %s", strerror(errno));
    int rc;
    if (strcmp(r->type, "9p") == 0) {
        /* the host does not change a container's rootfs under it: cache it in the guest */
        rc = mount_9p(r->source, "/newroot", r->flags, "loose");
    } else if (strcmp(r->type, "block") == 0) {
        /* the driver may still be probing the disk */
        for (int i = 0; i < 400 && access(r->source, F_OK) != 0; i++) usleep(5000);
        if (*r->data) {
            rc = mount(r->source, "/newroot", r->data, r->flags, NULL);
        } else {
            rc = mount(r->source, "/newroot", "ext4", r->flags, NULL);
            if (rc != 0) rc = mount(r->source, "/newroot", "erofs", r->flags | MS_RDONLY, NULL);
        }
    } else {
        errno = EINVAL;
        rc = -1;
    }
    if (rc != 0) {
        say("mount root %s (%s): %s", r->source, r->type, strerror(errno));
        fatal(126);
    }
    umount2("/dev", MNT_DETACH);
    umount2("/proc", MNT_DETACH);
    if (chdir("/newroot") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 ||
        chdir("/") != 0) {
        say("switch root: %s", strerror(errno));
        fatal(126);
    }
}

/* The spec's mounts, in order; a mount that fails stops the container, as runc does. */
static void user_mounts(const struct process *p) {
    for (int i = 0; i < p->nmounts; i++) {
        const struct gmount *m = &p->mounts[i];
        int file = strcmp(m->type, "file") == 0;
        if (make_mount_point(m->dest, file) != 0) {
            say("mount point %s: %s", m->dest, strerror(errno));
            fatal(126);
        }
        int rc;
        if (strcmp(m->type, "9p") == 0) {
            rc = mount_9p(m->source, m->dest, m->flags, "mmap");
        } else if (strcmp(m->type, "tmpfs") == 0) {
            rc = mount("tmpfs", m->dest, "tmpfs", m->flags, *m->data ? m->data : NULL);
        } else if (file) {
            /* TAG/NAME: the share TAG is mounted once under STAGE_DIR, NAME bound on dest */
            const char *slash = strchr(m->source, '/');
            char stage[256], src[PATH_MAX];
            snprintf(stage, sizeof stage, STAGE_DIR "/%.*s", (int)(slash - m->source), m->source);
            snprintf(src, sizeof src, "%s/%s", stage, slash + 1);
            if (!is_mountpoint(stage)) {
                mkdir_p(stage);
                if (mount_9p(stage + sizeof STAGE_DIR, stage, MS_NOSUID | MS_NODEV, "none") != 0) {
                    say("mount 9p %s: %s", stage + sizeof STAGE_DIR, strerror(errno));
                    fatal(126);
                }
            }
            rc = mount(src, m->dest, NULL, MS_BIND, NULL);
            if (rc == 0 && m->flags)
                rc = mount(NULL, m->dest, NULL, MS_BIND | MS_REMOUNT | m->flags, NULL);
        } else {
            errno = EINVAL;
            rc = -1;
        }
        if (rc != 0) {
            say("mount %s %s on %s: %s", m->type, m->source, m->dest, strerror(errno));
            fatal(126);
        }
    }
    /* The staged shares are no longer needed once their files are bound. */
    for (int i = 0; i < p->nmounts; i++) {
        const struct gmount *m = &p->mounts[i];
        if (strcmp(m->type, "file") != 0) continue;
        char stage[256];
        snprintf(stage, sizeof stage, STAGE_DIR "/%.*s", (int)(strchr(m->source, '/') - m->source),
                 m->source);
        if (is_mountpoint(stage)) umount2(stage, MNT_DETACH);
        rmdir(stage);
    }
    rmdir(STAGE_DIR);
}

/* In the child: becomes the application. Never returns. */
static void exec_app(const struct process *p, const sigset_t *orig) {
    setsid();
    ioctl(0, TIOCSCTTY, 0);
    sigprocmask(SIG_SETMASK, orig, NULL);
    if (chdir(p->cwd) != 0) {
        mkdir_p(p->cwd);
        if (chdir(p->cwd) != 0) {
            say("chdir %s: %s", p->cwd, strerror(errno));
            _exit(126);
        }
    }
    if (setgroups(p->ngids, p->gids) != 0) say("setgroups: %s", strerror(errno));
    if (setgid(p->gid) != 0) {
        say("setgid %u: %s", p->gid, strerror(errno));
        _exit(126);
    }
    if (setuid(p->uid) != 0) {
        say("setuid %u: %s", p->uid, strerror(errno));
        _exit(126);
    }
    const char *file = p->args[0];
    int err = ENOENT;
    if (strchr(file, '/')) {
        execve(file, p->args, p->env);
        err = errno;
    } else {
        const char *path = env_path(p);
        char candidate[PATH_MAX];
        int eacces = 0;
        while (*path) {
            const char *colon = strchrnul(path, ':');
            int dlen = colon - path;
            snprintf(candidate, sizeof candidate, "%.*s%s%s", dlen, path,
                     dlen ? "/" : "", file);
            execve(candidate, p->args, p->env);
            if (errno == EACCES) eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR) {
                err = errno;
                break;
            }
            path = *colon ? colon + 1 : colon;
        }
        if (err == ENOENT && eacces) err = EACCES;
    }
    say("exec %s: %s", file, strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

int main(void) {
    sigset_t all, orig;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &orig);
    umask(022);

    /* /proc may not be mounted yet: mount it first to read the cmdline. */
    mount_if_missing("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555);
    cmdline = slurp("/proc/cmdline", NULL);
    debug = cmdline_flag("jurunc.debug");
    timestamps = debug || cmdline_flag("jurunc.timestamps");
    if (timestamps) print_uptime("started");

    load_modules();
    struct process proc;
    if (read_process(&proc) != 0) {
        setup_mounts();
        say("exit status 127");
        die_reboot(127);
    }
    if (proc.root) switch_root(proc.root);
    setup_mounts();
    user_mounts(&proc);
    setup_network();
    exit_port_open();
    const char *host = proc.hostname && *proc.hostname ? proc.hostname : ip_hostname;
    if (host && *host && sethostname(host, strlen(host)) != 0)
        say("sethostname %s: %s", host, strerror(errno));
    if (timestamps) print_uptime("exec");

    exec_server_start(); /* jurunc exec: exec-server.h */
    pid_t app = fork();
    if (app < 0) {
        say("fork: %s", strerror(errno));
        die_reboot(1);
    }
    if (app == 0) exec_app(&proc, &orig);

    int status = 0;
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) continue;
        if (sig == SIGCHLD) {
            int st;
            pid_t pid;
            int app_done = 0;
            while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
                if (pid == app) {
                    status = st;
                    app_done = 1;
                }
            if (app_done) break;
        } else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT ||
                   sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGWINCH || sig == SIGCONT) {
            kill(app, sig);
        }
    }
    int code;
    if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
        if (code != 0 || debug) say("exit status %d", code);
    } else {
        code = 128 + WTERMSIG(status);
        say("killed by signal %d", WTERMSIG(status));
    }
    die_reboot(code);
    return code;
}
