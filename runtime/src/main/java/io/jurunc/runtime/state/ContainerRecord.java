package io.jurunc.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.jurunc.runtime.vm.VmSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What jurunc persists for one container in {@code <root>/<id>/jurunc.json}. Status here is the
 * last status jurunc set (created or running); "stopped" is derived from the process. Made by
 * {@link #creating} and changed by the {@code with...} methods.
 *
 * @param pidStartTime the process start time (field 22 of /proc/pid/stat), guarding against pid reuse
 * @param netnsPath the container netns the tap lives in (empty when jurunc made a fresh netns)
 * @param tapName the tap jurunc created, if any
 * @param startFifo the FIFO the waiter blocks on until {@code start}
 * @param monitorArgv the command line the waiter execs
 * @param generatedFiles files created for this container outside the state dir (none by default)
 * @param plan what create decided about the VM, without the network, which start adds before it
 *     builds the argv (null until create has decided it)
 * @param sandbox the monitor's user and cgroup (null in records of older versions)
 * @param vm the VM plan as jurunc versions before the plan was the {@link VmSpec} itself wrote it: only
 *     read (to tell such a record and free its vsock CID), never written
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
        String ociVersion,
        String id,
        String bundle,
        long pid,
        long pidStartTime,
        ContainerStatus status,
        String created,
        Map<String, String> annotations,
        String netnsPath,
        String tapName,
        String startFifo,
        List<String> monitorArgv,
        List<String> generatedFiles,
        VmSpec plan,
        SandboxRecord sandbox,
        @JsonInclude(JsonInclude.Include.NON_NULL) EarlierPlan vm) {
    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        monitorArgv = monitorArgv == null ? List.of() : List.copyOf(monitorArgv);
        generatedFiles = generatedFiles == null ? List.of() : List.copyOf(generatedFiles);
    }

    /** The plan as an earlier jurunc version persisted it; only what deleting such a container needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EarlierPlan(Long vsockCid) {}

    /** A container whose create has just begun: no process, plan or sandbox yet. */
    public static ContainerRecord creating(
            String ociVersion,
            String id,
            String bundle,
            String created,
            Map<String, String> annotations,
            String netns) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                0,
                0,
                ContainerStatus.CREATING,
                created,
                annotations,
                netns,
                null,
                null,
                List.of(),
                List.of(),
                null,
                null,
                null);
    }

    /** True when an earlier jurunc version wrote this record: its VM plan is in a layout this one does not read. */
    public boolean fromEarlierVersion() {
        return vm != null;
    }

    /** The vsock CID this container holds, whichever version wrote the record. */
    public Optional<Long> vsockCid() {
        if (plan != null) return plan.vsock().map(v -> v.guestCid());
        return vm == null ? Optional.empty() : Optional.ofNullable(vm.vsockCid());
    }

    public ContainerRecord withStatus(ContainerStatus s) {
        return edit(e -> e.status = s);
    }

    /** The waiter create left: its pid, start time and start FIFO; the container is created. */
    public ContainerRecord withWaiter(long waiterPid, long startTime, String fifo) {
        return edit(e -> {
            e.pid = waiterPid;
            e.pidStartTime = startTime;
            e.startFifo = fifo;
            e.status = ContainerStatus.CREATED;
        });
    }

    /** The record once start has set up the network and planned the monitor (status unchanged). */
    public ContainerRecord planned(String tap, List<String> argv, List<String> generated) {
        return edit(e -> {
            e.tapName = tap;
            e.monitorArgv = argv;
            e.generatedFiles = generated;
        });
    }

    public ContainerRecord withTap(String tap) {
        return edit(e -> e.tapName = tap);
    }

    public ContainerRecord withSandbox(SandboxRecord s) {
        return edit(e -> e.sandbox = s);
    }

    public ContainerRecord withPlan(VmSpec p) {
        return edit(e -> e.plan = p);
    }

    private ContainerRecord edit(java.util.function.Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return e.build();
    }

    /** The fields the {@code with...} methods change; the rest is copied. */
    private static final class Edit {
        private final ContainerRecord from;
        long pid;
        long pidStartTime;
        ContainerStatus status;
        String tapName;
        String startFifo;
        List<String> monitorArgv;
        List<String> generatedFiles;
        VmSpec plan;
        SandboxRecord sandbox;

        Edit(ContainerRecord r) {
            from = r;
            pid = r.pid;
            pidStartTime = r.pidStartTime;
            status = r.status;
            tapName = r.tapName;
            startFifo = r.startFifo;
            monitorArgv = r.monitorArgv;
            generatedFiles = r.generatedFiles;
            plan = r.plan;
            sandbox = r.sandbox;
        }

        ContainerRecord build() {
            return new ContainerRecord(
                    from.ociVersion,
                    from.id,
                    from.bundle,
                    pid,
                    pidStartTime,
                    status,
                    from.created,
                    from.annotations,
                    from.netnsPath,
                    tapName,
                    startFifo,
                    monitorArgv,
                    generatedFiles,
                    plan,
                    sandbox,
                    from.vm);
        }
    }
}
