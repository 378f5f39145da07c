package io.jurunc.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.FakeBackend;
import io.jurunc.shim.os.RecordingShimOs;
import io.jurunc.shim.proto.task.DeleteResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteCommandTest {
    @TempDir
    Path bundle;

    @Test
    void forceDeletesInTheRecordedBackendAndAnswersKilled() throws Exception {
        Files.writeString(bundle.resolve("init.pid"), "777");
        Files.writeString(bundle.resolve(BackendSelector.MARKER), "jurunc");
        FakeBackend jurunc = new FakeBackend("jurunc");
        FakeBackend runc = new FakeBackend("runc");
        RecordingShimOs os = new RecordingShimOs();
        List<String> warnings = new ArrayList<>();
        byte[] out = new DeleteCommand(os, new BackendSelector(jurunc, runc, b -> false), warnings::add)
                .run("c1", bundle, Instant.ofEpochSecond(1000));
        DeleteResponse r = DeleteResponse.parseFrom(out);
        assertThat(r.getPid()).isEqualTo(777);
        assertThat(r.getExitStatus()).isEqualTo(137);
        assertThat(r.getExitedAt().getSeconds()).isEqualTo(1000);
        assertThat(jurunc.calls).containsExactly("delete c1 force");
        assertThat(runc.calls).isEmpty();
        assertThat(os.calls).containsExactly("unmount " + bundle.resolve("rootfs"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aNeverCreatedContainerStillAnswers() throws Exception {
        FakeBackend runc = new FakeBackend("runc");
        byte[] out = new DeleteCommand(
                        new RecordingShimOs(),
                        new BackendSelector(new FakeBackend("jurunc"), runc, b -> false),
                        w -> {})
                .run("c2", bundle, Instant.EPOCH);
        assertThat(DeleteResponse.parseFrom(out).getPid()).isZero();
        assertThat(runc.calls).containsExactly("delete c2 force");
    }
}
