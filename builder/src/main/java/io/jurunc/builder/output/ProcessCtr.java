package io.jurunc.builder.output;

import io.jurunc.builder.ToolException;
import io.jurunc.builder.os.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code ctr -a ADDRESS -n NS images import [--snapshotter S] ARCHIVE}. */
public final class ProcessCtr implements Ctr {
    private final ProcessRunner runner;
    private final String ctrBinary;

    public ProcessCtr(ProcessRunner runner, String ctrBinary) {
        this.runner = runner;
        this.ctrBinary = ctrBinary;
    }

    public static List<String> argv(String ctr, String address, String namespace, String snapshotter, Path archive) {
        List<String> a = new ArrayList<>(List.of(ctr, "-a", address, "-n", namespace, "images", "import"));
        if (snapshotter != null && !snapshotter.isBlank()) {
            a.add("--snapshotter");
            a.add(snapshotter);
        }
        a.add(archive.toString());
        return a;
    }

    @Override
    public void importArchive(String address, String namespace, String snapshotter, Path archive) {
        List<String> argv = argv(ctrBinary, address, namespace, snapshotter, archive);
        ProcessRunner.Result r;
        try {
            r = runner.run(argv, Map.of(), Duration.ofMinutes(10));
        } catch (IOException e) {
            throw new ToolException(
                    "cannot run " + ctrBinary + ": " + e.getMessage(),
                    "install containerd's ctr (apt-get install containerd) or choose another --output",
                    e);
        }
        if (r.exitCode() != 0) {
            throw new ToolException(
                    "ctr images import into " + address + " (namespace " + namespace + ") failed: "
                            + r.output().strip(),
                    "check that containerd runs at that address (-a/--address) or choose another --output");
        }
    }
}
