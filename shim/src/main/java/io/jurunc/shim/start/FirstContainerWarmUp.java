package io.jurunc.shim.start;

import io.jurunc.runtime.config.ConfigException;
import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.metadata.MetadataException;
import io.jurunc.runtime.metadata.MetadataReader;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.proto.events.TaskCreate;
import io.jurunc.shim.proto.events.TaskStart;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.types.Mount;
import java.util.function.Consumer;

/**
 * What the node daemon's first container pays once per JVM, done on a thread of its own while the daemon's
 * main thread sets up serving: the task API's message classes (protobuf builds their descriptors on first
 * use), the OCI spec's JSON binding and the unikernel metadata of a representative config.json, and the
 * runtime's config. Nothing is written and no state is kept: what it leaves is initialised classes, and the
 * JSON mapper's deserializers, which the first Create then finds ready.
 */
public final class FirstContainerWarmUp {
    static final String SPEC = """
            {"ociVersion":"1.1.0","process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["/bin/httpd","-f"],
             "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",
             "capabilities":{"bounding":["CAP_CHOWN"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN"]},
             "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
             "root":{"path":"rootfs"},"hostname":"warm",
             "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]}],
             "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu"},
             "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":268435456}},
              "cgroupsPath":"/default/warm","namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},
              {"type":"mount"},{"type":"network","path":"/var/run/netns/warm"}],
              "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/bus"]}}""";

    private FirstContainerWarmUp() {}

    /** Starts the warm-up; failures are logged, never thrown (the first Create then pays as before). */
    public static Thread start(Consumer<String> log) {
        return Thread.ofPlatform().daemon().name("warm-up").start(() -> run(log));
    }

    static void run(Consumer<String> log) {
        try {
            byte[] create = CreateTaskRequest.newBuilder()
                    .setId("warm")
                    .setBundle("/run/warm")
                    .addRootfs(Mount.newBuilder()
                            .setType("overlay")
                            .setSource("overlay")
                            .addOptions("ro"))
                    .setStdout("/run/warm/stdout")
                    .build()
                    .toByteArray();
            CreateTaskRequest request = CreateTaskRequest.parseFrom(create);
            StartRequest.parseFrom(
                    StartRequest.newBuilder().setId("warm").build().toByteArray());
            OrderedPublisher.pack(TaskCreate.newBuilder()
                    .setContainerId(request.getId())
                    .addAllRootfs(request.getRootfsList())
                    .setPid(1)
                    .build());
            OrderedPublisher.pack(
                    TaskStart.newBuilder().setContainerId("warm").setPid(1).build());
            io.jurunc.oci.Spec spec = io.jurunc.oci.Json.mapper().readValue(SPEC, io.jurunc.oci.Spec.class);
            MetadataReader.read(spec.annotations(), null);
            JuruncConfig.load();
        } catch (java.io.IOException | MetadataException | ConfigException | RuntimeException e) {
            log.accept("warm-up: " + e);
        }
    }
}
