/*
 * The framing of jurunc's exec channel (docs/runtime.md, "exec into a microVM"), shared by its two
 * ends: the guest init's exec server (exec-server.h) and the host's relay
 * (runtime/src/main/c/exec-relay.c, which includes this file by its path in the tree). The request
 * payload itself is encoded by the runtime (io.jurunc.runtime.lifecycle.ExecRequest, whose MAGIC is
 * EXEC_MAGIC) and parsed by the exec server.
 *
 * Frames, both ways: TYPE (1 byte), LENGTH (4 bytes, big-endian), PAYLOAD (LENGTH bytes; at most
 * EXEC_MAX_REQUEST for a request, EXEC_MAX_FRAME otherwise).
 *   host -> guest  R request: "JURUNC-EXEC-1\0", then NUL-terminated tag/value pairs: arg (repeated,
 *                    at least one), env (repeated, K=V), cwd (default /), uid, gid, group (repeated),
 *                    tty (0|1), rows, cols
 *                  I stdin data; an empty one closes the command's stdin (^D with a tty)
 *                  W resize (tty): rows, cols, 2 bytes each, big-endian
 *                  K signal: its number, 4 bytes, sent to the command
 *                  C console size, on an idle channel instead of R: rows, cols, 2 bytes each,
 *                    big-endian; the init sets them on the console the application holds (its
 *                    terminal, whose foreground process group the kernel sends SIGWINCH) and
 *                    answers X 0 at once, or F and X 1
 *   guest -> host  S started: the command's pid in the guest, 4 bytes
 *                  O stdout data, E stderr data (with a tty everything is O)
 *                  F failed: a message (a bad request, or the command could not start); X follows
 *                  X exit: 4 bytes, the exit code, or 128+N after signal N; the last frame
 */
#ifndef JURUNC_EXEC_PROTO_H
#define JURUNC_EXEC_PROTO_H

#include <stdint.h>

#define EXEC_MAGIC "JURUNC-EXEC-1"
#define EXEC_MAX_REQUEST (1u << 20)
#define EXEC_MAX_FRAME (1u << 16)
/* A frame's header: its type and its length. */
#define EXEC_HEADER 5

/* Frame types. */
#define EXEC_REQUEST 'R'
#define EXEC_STDIN 'I'
#define EXEC_RESIZE 'W'
#define EXEC_SIGNAL 'K'
#define EXEC_CONSOLE_SIZE 'C'
#define EXEC_STARTED 'S'
#define EXEC_STDOUT 'O'
#define EXEC_STDERR 'E'
#define EXEC_FAILED 'F'
#define EXEC_EXIT 'X'

/* The guest's statuses for a command it could not start (as a shell's): not found, or not runnable. */
#define EXEC_STATUS_NOT_FOUND 127
#define EXEC_STATUS_NOT_RUNNABLE 126

static inline void exec_put32(unsigned char *p, uint32_t v) {
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static inline uint32_t exec_get32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
