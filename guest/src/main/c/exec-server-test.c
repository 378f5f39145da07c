/*
 * The exec server of the guest init (exec-server.h) on the host, for tests:
 *   exec-server-test SOCKET [CONSOLE]
 * listens on the unix socket SOCKET and serves its connections one after another, as the guest
 * serves a virtio-serial port, until killed. With CONSOLE, a pty stands for the guest's console (the
 * one a C frame resizes) and CONSOLE is made a link to its slave. Built by the guest module's tests.
 */
#define _GNU_SOURCE
#include "exec-server.h"

#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        dprintf(2, "usage: exec-server-test SOCKET [CONSOLE]\n");
        return 2;
    }
    if (argc == 3) {
        char name[64];
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0 ||
            symlink(name, argv[2]) != 0) {
            perror("exec-server-test: console");
            return 1;
        }
        exec_console_fd = master;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[1]);
    if (sigfd < 0 || l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l, 4) != 0) {
        perror("exec-server-test");
        return 1;
    }
    for (;;) {
        int c = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c < 0) continue;
        struct exec_port port;
        exec_port_init(&port, c);
        port.connected = 1;
        exec_serve(&port, 1, sigfd, 1);
        close(c);
    }
}
