package io.jurunc.shim;

import io.jurunc.shim.cmdline.ShimVersion;
import io.jurunc.shim.proto.types.RuntimeInfo;
import io.jurunc.shim.proto.types.RuntimeVersion;

/** {@code shim -info}: a protobuf {@code containerd.types.RuntimeInfo} on stdout. */
public final class InfoCommand {
    private InfoCommand() {}

    /** The runtime options on stdin are accepted but not needed: the shim has none. */
    public static byte[] run(byte[] optionsOnStdin) {
        return RuntimeInfo.newBuilder()
                .setName(ShimVersion.RUNTIME_NAME)
                .setVersion(RuntimeVersion.newBuilder().setVersion(ShimVersion.version()))
                .putAnnotations("io.jurunc.shim.unikernel-annotations", "com.urunc.unikernel.*")
                .build()
                .toByteArray();
    }
}
