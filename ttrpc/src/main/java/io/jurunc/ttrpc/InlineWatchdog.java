package io.jurunc.ttrpc;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the calls that connection readers run in place ({@link TtrpcServer.Builder#runHandlersOnReader}): a
 * call still running after {@code handOffNanos} has its connection's reading handed to a new thread, so that
 * other calls on that connection proceed. One per server; its thread ticks while calls run in place and
 * sleeps after a second without any, so cheap calls cost it nothing per call (no wake-up to arm a timer).
 */
final class InlineWatchdog implements Runnable {
    private static final long IDLE_NANOS = 1_000_000_000L;

    private final Set<ServerSession> sessions;
    private final long handOffNanos;
    private final long tickNanos;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean stopped;
    private volatile long lastStart = System.nanoTime();

    InlineWatchdog(Set<ServerSession> sessions, long handOffNanos) {
        this.sessions = sessions;
        this.handOffNanos = handOffNanos;
        this.tickNanos = Math.max(handOffNanos / 2, 200_000L);
    }

    /** Called by a reader as it starts a call in place: wakes the watchdog only if it was asleep. */
    void callStarted() {
        lastStart = System.nanoTime();
        if (thread == null) {
            start();
        } else if (sleeping) {
            sleeping = false;
            LockSupport.unpark(thread);
        }
    }

    private synchronized void start() {
        if (thread == null && !stopped) {
            thread = Thread.ofPlatform().daemon().name("ttrpc-inline-watchdog").start(this);
        }
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            boolean running = scan();
            if (running || System.nanoTime() - lastStart < IDLE_NANOS) {
                LockSupport.parkNanos(this, tickNanos);
                continue;
            }
            // publish "asleep" before the last look, so a call starting now either is seen here or wakes us
            sleeping = true;
            if (scan()) {
                sleeping = false;
                continue;
            }
            LockSupport.park(this);
            sleeping = false;
        }
    }

    /** Hands off the readers stuck in long calls; true if any call runs in place now. */
    private boolean scan() {
        long now = System.nanoTime();
        boolean running = false;
        for (ServerSession s : sessions) {
            running |= s.handOffIfRunningSince(now - handOffNanos);
        }
        return running;
    }
}
