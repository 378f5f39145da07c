package io.jurunc.shim.cmdline;

/** Version strings for {@code -v} and {@code -info}. */
public final class ShimVersion {
    public static final String RUNTIME_NAME = "io.containerd.jurunc.v2";
    public static final String BINARY_NAME = "containerd-shim-jurunc-v2";

    private ShimVersion() {}

    public static String version() {
        String v = ShimVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    public static String text() {
        return BINARY_NAME + ":\n  Version:  " + version() + "\n  Runtime:  jurunc (unikernels), runc (containers)\n"
                + "  Task API: containerd.task.v2, containerd.task.v3 over ttrpc\n";
    }
}
