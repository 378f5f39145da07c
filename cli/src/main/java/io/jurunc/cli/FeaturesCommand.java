package io.jurunc.cli;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
            "io.jurunc.guests": "%s",
            "io.jurunc.monitors": "%s",
            "io.jurunc.handlers": "wasm",
            "io.jurunc.wasm": "wasi_snapshot_preview1 with Chicory (interpreter, compiler); selected by module.wasm.image/variant=compat|compat-smart, run.oci.handler=wasm or com.urunc.unikernel.unikernelType=wasm",
            "io.jurunc.delegate": "runc"
          }
        }""".formatted(Version.SPEC_VERSION, Version.VERSION, guests(), monitors()));
        return 0;
    }

    /** The guest types, from the runtime's registry. */
    static String guests() {
        return GuestType.all().stream().map(GuestType::key).collect(Collectors.joining(","));
    }

    /** The monitors, from the runtime's registry. */
    static String monitors() {
        return MonitorType.all().stream().map(MonitorType::key).collect(Collectors.joining(","));
    }
}
