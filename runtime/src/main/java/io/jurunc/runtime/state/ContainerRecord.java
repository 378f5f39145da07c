package io.jurunc.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What jurunc persists for one container in {@code <root>/<id>/jurunc.json}. Status here is the
 * last status jurunc set (created or running); "stopped" is derived from the process.
 *
 * @param pidStartTime the process start time (field 22 of /proc/pid/stat), guarding against pid reuse
 * @param netnsPath the container netns the tap lives in (empty when jurunc made a fresh netns)
 * @param tapName the tap jurunc created, if any
 * @param startFifo the FIFO the waiter blocks on until {@code start}
 * @param monitorArgv the command line the waiter execs
 * @param generatedFiles files created for this container outside the state dir (none by default)
 * @param vm what create decided about the VM; start adds the network and builds the argv
 * @param sandbox the monitor's user and cgroup (null in records of older versions)
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
        VmPlan vm,
        SandboxRecord sandbox) {
    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        monitorArgv = monitorArgv == null ? List.of() : List.copyOf(monitorArgv);
        generatedFiles = generatedFiles == null ? List.of() : List.copyOf(generatedFiles);
    }

    public ContainerRecord withStatus(ContainerStatus s) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                pid,
                pidStartTime,
                s,
                created,
                annotations,
                netnsPath,
                tapName,
                startFifo,
                monitorArgv,
                generatedFiles,
                vm,
                sandbox);
    }

    /** The record once start has set up the network and planned the monitor (status unchanged). */
    public ContainerRecord planned(String tap, List<String> argv, List<String> generated) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                pid,
                pidStartTime,
                status,
                created,
                annotations,
                netnsPath,
                tap,
                startFifo,
                argv,
                generated,
                vm,
                sandbox);
    }

    public ContainerRecord withTap(String tap) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                pid,
                pidStartTime,
                status,
                created,
                annotations,
                netnsPath,
                tap,
                startFifo,
                monitorArgv,
                generatedFiles,
                vm,
                sandbox);
    }

    public ContainerRecord withSandbox(SandboxRecord s) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                pid,
                pidStartTime,
                status,
                created,
                annotations,
                netnsPath,
                tapName,
                startFifo,
                monitorArgv,
                generatedFiles,
                vm,
                s);
    }

    public ContainerRecord withPlan(VmPlan plan) {
        return new ContainerRecord(
                ociVersion,
                id,
                bundle,
                pid,
                pidStartTime,
                status,
                created,
                annotations,
                netnsPath,
                tapName,
                startFifo,
                monitorArgv,
                generatedFiles,
                plan,
                sandbox);
    }
}
