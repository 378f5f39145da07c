package io.jurunc.shim.recovery;

import io.jurunc.shim.os.ExitStatus;
import java.util.List;

/**
 * The daemon's tasks on disk, for the daemon JVM that follows a crash ({@link DiskTaskJournal}); without a
 * holder nothing survives the JVM, and {@link #NONE} records nothing.
 */
public interface TaskJournal {
    void write(TaskRecord record);

    void remove(String id);

    List<TaskRecord> load();

    /**
     * Blocks until the adopted process {@code pid} (no longer this JVM's child: the holder reaps it) has
     * exited; its status as the holder recorded it, or 255 when none was recorded.
     */
    ExitStatus awaitExit(int pid, long startTime) throws InterruptedException;

    /** Forgets what the holder recorded of {@code pid} (after the task's delete). */
    void forgetExit(int pid);

    /** The start time of a live pid (0 when unknown). */
    long startTime(int pid);

    TaskJournal NONE = new TaskJournal() {
        @Override
        public void write(TaskRecord record) {}

        @Override
        public void remove(String id) {}

        @Override
        public List<TaskRecord> load() {
            return List.of();
        }

        @Override
        public ExitStatus awaitExit(int pid, long startTime) {
            throw new IllegalStateException("no journal: nothing was adopted");
        }

        @Override
        public void forgetExit(int pid) {}

        @Override
        public long startTime(int pid) {
            return 0;
        }
    };
}
