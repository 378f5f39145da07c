package io.jurunc.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.libc.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NamespaceThreadTest {
    private static final Path NS = Path.of("/var/run/netns/x");

    @Test
    void theTaskRunsOnAFreshThreadAfterSetns() throws Exception {
        RecordingSyscalls sys = new RecordingSyscalls();
        AtomicReference<Thread> taskThread = new AtomicReference<>();

        String result = NamespaceThread.callInNetns(sys, NS, () -> {
            taskThread.set(Thread.currentThread());
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(sys.texts()).containsExactly("open /var/run/netns/x 0x80000", "setns 3 0x40000000", "close 3");
        assertThat(taskThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(taskThread.get().isVirtual()).isFalse();
        assertThat(sys.calls()).allSatisfy(c -> assertThat(c.thread()).isSameAs(taskThread.get()));
        taskThread.get().join();
        assertThat(taskThread.get().isAlive()).isFalse();
    }

    @Test
    void aNestedCallForTheSameNamespaceRunsInlineOnTheJoinedThread() throws Exception {
        RecordingSyscalls sys = new RecordingSyscalls();
        AtomicReference<Thread> inner = new AtomicReference<>();
        AtomicReference<Thread> outer = new AtomicReference<>();

        String result = NamespaceThread.callInNetns(sys, NS, () -> {
            outer.set(Thread.currentThread());
            return NamespaceThread.callInNetns(sys, NS, () -> {
                inner.set(Thread.currentThread());
                return "nested";
            });
        });

        assertThat(result).isEqualTo("nested");
        assertThat(inner.get()).isSameAs(outer.get());
        assertThat(sys.texts()).containsExactly("open /var/run/netns/x 0x80000", "setns 3 0x40000000", "close 3");
    }

    @Test
    void aNestedCallForAnotherNamespaceStillJoinsItOnItsOwnThread() throws Exception {
        RecordingSyscalls sys = new RecordingSyscalls();
        AtomicReference<Thread> inner = new AtomicReference<>();
        AtomicReference<Thread> outer = new AtomicReference<>();

        NamespaceThread.callInNetns(sys, NS, () -> {
            outer.set(Thread.currentThread());
            return NamespaceThread.callInNetns(sys, Path.of("/var/run/netns/y"), () -> {
                inner.set(Thread.currentThread());
                return null;
            });
        });

        assertThat(inner.get()).isNotSameAs(outer.get());
        assertThat(sys.texts()).filteredOn(t -> t.startsWith("setns")).hasSize(2);
    }

    @Test
    void aMissingNamespaceIsReportedAsGoneAndTheTaskDoesNotRun() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("open", Errno.ENOENT);

        assertThatThrownBy(() -> NamespaceThread.callInNetns(sys, NS, () -> {
                    throw new AssertionError("task ran");
                }))
                .isInstanceOfSatisfying(NamespaceThread.EnterException.class, e -> {
                    assertThat(e.namespaceGone()).isTrue();
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage()).contains("/var/run/netns/x", "ENOENT");
                });
    }

    @Test
    void aFailingSetnsStillClosesTheDescriptor() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("setns", Errno.EPERM);

        assertThatThrownBy(() -> NamespaceThread.callInNetns(sys, NS, () -> "never"))
                .isInstanceOfSatisfying(NamespaceThread.EnterException.class, e -> {
                    assertThat(e.namespaceGone()).isFalse();
                    assertThat(e.errno()).isEqualTo(Errno.EPERM);
                });
        assertThat(sys.texts()).containsExactly("open /var/run/netns/x 0x80000", "setns 3 0x40000000", "close 3");
    }

    @Test
    void checkedAndUncheckedTaskExceptionsPropagateAsThemselves() {
        RecordingSyscalls sys = new RecordingSyscalls();

        assertThatThrownBy(() -> NamespaceThread.callInNetns(sys, NS, () -> {
                    throw new IOException("checked");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("checked");
        assertThatThrownBy(() -> NamespaceThread.callInNetns(sys, NS, () -> {
                    throw new IllegalStateException("unchecked");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unchecked");
    }
}
