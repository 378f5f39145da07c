package io.jurunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code features}: what this runtime supports, in the runtime-spec features.json shape. */
@Command(name = "features", description = "print the supported features as JSON")
final class FeaturesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("""
        {
          "ociVersionMin": "1.0.0",
          "ociVersionMax": "%s",
          "hooks": ["prestart", "createRuntime", "poststart", "poststop"],
          "mountOptions": [],
          "linux": {
            "namespaces": ["network", "ipc", "uts"],
            "capabilities": [],
            "cgroup": {"v1": false, "v2": false, "systemd": false, "systemdUser": false},
            "seccomp": {"enabled": false},
            "apparmor": {"enabled": false},
            "selinux": {"enabled": false}
          },
          "annotations": {
            "io.jurunc.version": "%s",
            "io.jurunc.guests": "linux,unikraft,rumprun,mirage,mewz,hermit",
            "io.jurunc.monitors": "qemu,firecracker,cloud-hypervisor,hvt,spt",
            "io.jurunc.handlers": "wasm",
            "io.jurunc.wasm": "wasi_snapshot_preview1 with Chicory (interpreter, compiler); selected by module.wasm.image/variant=compat|compat-smart, run.oci.handler=wasm or com.urunc.unikernel.unikernelType=wasm",
            "io.jurunc.delegate": "runc"
          }
        }""".formatted(Version.SPEC_VERSION, Version.VERSION));
        return 0;
    }
}
