package io.jurunc.runtime.host;

/**
 * A live (or zombie) process as /proc shows it.
 *
 * @param state the state letter of /proc/pid/stat (R, S, D, Z, ...)
 * @param startTime field 22 of /proc/pid/stat, clock ticks since boot
 * @param exe the target of /proc/pid/exe, empty when unreadable (e.g. a zombie)
 */
public record ProcessInfo(long pid, char state, long startTime, String exe) {
    public boolean isZombie() {
        return state == 'Z' || state == 'X';
    }
}
