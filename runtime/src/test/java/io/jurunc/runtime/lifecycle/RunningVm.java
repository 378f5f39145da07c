package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.state.SandboxRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Linux microVM created through the fakes (guest RAM 128 MiB) and recorded as running, with a
 * cgroup on a fake v1 (freezer, cpu, cpuacct, memory, pids, blkio) or v2 host.
 */
final class RunningVm {
    static final long GUEST_RAM = 134_217_728L;
    final Fakes.World world;
    final CgroupHost host;
    final RuntimeContext ctx;
    final Path root;
    final String id;
    final long pid;

    private RunningVm(Fakes.World world, CgroupHost host, RuntimeContext ctx, Path root, String id, long pid) {
        this.world = world;
        this.host = host;
        this.ctx = ctx;
        this.root = root;
        this.id = id;
        this.pid = pid;
    }

    static Path v1(String hierarchy, String id) {
        return SandboxCgroup.MOUNT.resolve(hierarchy).resolve("default").resolve(id);
    }

    static Path v2(String id) {
        return SandboxCgroup.MOUNT.resolve("default").resolve(id);
    }

    /** @param cgroup "v1", "v2" or "none" */
    static RunningVm start(Path tmp, String id, String cgroup) throws Exception {
        Path root = tmp.resolve("root");
        Path bundle = tmp.resolve("bundle-" + id);
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/sh"],"user":{"uid":1000,"gid":1000}},
         "root":{"path":"rootfs"},"annotations":{"com.urunc.unikernel.unikernelType":"linux",
         "com.urunc.unikernel.hypervisor":"qemu"},
         "linux":{"namespaces":[{"type":"network"}],"resources":{"memory":{"limit":134217728}}}}
        """);
        Fakes.World w = Fakes.world(root);
        CgroupHost host = new CgroupHost(w.host());
        RuntimeContext c = w.ctx();
        RuntimeContext ctx = new RuntimeContext(
                c.store(), c.config(), host, c.timestamps(), c.planner(), c.network(), c.packer(), c.log());
        var created = new CreateOperation(ctx)
                .run(new CreateRequest(
                        id,
                        Bundle.load(bundle),
                        Optional.of(tmp.resolve(id + ".pid")),
                        Optional.empty(),
                        Stdio.INHERIT));
        ContainerRecord r = created.record();
        List<String> dirs = switch (cgroup) {
            case "v1" ->
                List.of("memory", "cpu", "cpuacct", "freezer", "pids", "blkio").stream()
                        .map(h -> v1(h, id).toString())
                        .toList();
            case "v2" -> List.of(v2(id).toString());
            default -> List.of();
        };
        SandboxRecord sb = r.sandbox();
        ctx.store()
                .save(r.withStatus(ContainerStatus.RUNNING)
                        .withSandbox(new SandboxRecord(
                                sb.monitorUid(), sb.monitorGid(), sb.groups(), sb.uidAllocated(), dirs)));
        if (cgroup.equals("v2")) {
            host.v2();
            host.files.put(v2(id).resolve("cgroup.freeze"), "0\n");
            host.files.put(v2(id).resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        } else if (cgroup.equals("v1")) {
            host.files.put(v1("freezer", id).resolve("freezer.state"), "THAWED\n");
        }
        return new RunningVm(w, host, ctx, root, id, r.pid());
    }

    /** Makes the state dir look as if QEMU had created its QMP socket. */
    void withQmpSocket() throws Exception {
        Path s = QmpSocket.path(root.resolve(id));
        Files.createDirectories(s.getParent());
        Files.createFile(s);
    }

    ContainerStatus recorded() throws Exception {
        return ctx.store().load(CreateOperation.parseId(id)).status();
    }
}
