package io.jurunc.shim.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend that records its calls and hands out pids 1000, 1001, ... */
public final class FakeBackend implements ContainerBackend {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final String name;
    private final AtomicInteger nextPid = new AtomicInteger(1000);
    public volatile Runnable onStart = () -> {};
    public volatile BackendException failKill;

    public FakeBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Created create(CreateSpec spec) {
        calls.add("create " + spec.id() + " stdin="
                + spec.stdin().map(Object::toString).orElse("-")
                + spec.consoleSocket().map(s -> " console=" + s).orElse(""));
        return new Created(nextPid.getAndIncrement(), Optional.empty());
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        onStart.run();
    }

    @Override
    public void kill(String id, int signal, boolean all) throws BackendException {
        calls.add("kill " + id + " " + signal + (all ? " all" : ""));
        if (failKill != null) {
            throw failKill;
        }
    }

    @Override
    public void delete(String id, boolean force) {
        calls.add("delete " + id + (force ? " force" : ""));
    }

    @Override
    public void resizeConsole(String id, int rows, int cols) {
        calls.add("resizeConsole " + id + " " + rows + "x" + cols);
    }

    @Override
    public List<Integer> pids(String id) {
        return List.of(1000, 1005);
    }

    @Override
    public void update(String id, byte[] resourcesJson) {
        calls.add("update " + id + " " + new String(resourcesJson));
    }

    @Override
    public void pause(String id) {
        calls.add("pause " + id);
    }

    @Override
    public void resume(String id) {
        calls.add("resume " + id);
    }

    /** What {@link #stats} returns. */
    public volatile io.jurunc.runtime.lifecycle.ContainerStats stats;

    @Override
    public io.jurunc.runtime.lifecycle.ContainerStats stats(String id) throws BackendException {
        calls.add("stats " + id);
        if (stats == null) {
            throw new BackendException(BackendException.Kind.UNSUPPORTED, "no stats for " + id);
        }
        return stats;
    }
}
