package io.jurunc.shim.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.backend.BackendException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSizeForwarderTest {
    private final List<String> sent = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<Runnable> queued = new ArrayList<>();

    @Test
    void sizesThatArriveWhileOneIsPendingCollapseIntoTheLatest() {
        ConsoleSizeForwarder f =
                new ConsoleSizeForwarder("c1", (rows, cols) -> sent.add(rows + "x" + cols), queued::add, log::add);
        f.submit(24, 80);
        f.submit(30, 100);
        f.submit(40, 120);
        assertThat(queued).hasSize(1);
        queued.removeFirst().run();
        assertThat(sent).containsExactly("40x120");
        f.submit(50, 132);
        assertThat(queued).hasSize(1);
        queued.removeFirst().run();
        assertThat(sent).containsExactly("40x120", "50x132");
        assertThat(log).isEmpty();
    }

    @Test
    void aFailedSendIsLoggedAndTheNextOneStillGoes() {
        ConsoleSizeForwarder f = new ConsoleSizeForwarder(
                "c1",
                (rows, cols) -> {
                    if (rows == 30) throw new BackendException(BackendException.Kind.FAILED, "the VM stopped");
                    sent.add(rows + "x" + cols);
                },
                Runnable::run,
                log::add);
        f.submit(30, 100);
        f.submit(31, 101);
        assertThat(sent).containsExactly("31x101");
        assertThat(log).singleElement().asString().contains("c1", "30x100", "the VM stopped");
    }
}
