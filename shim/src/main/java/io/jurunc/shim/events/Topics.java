package io.jurunc.shim.events;

/** containerd's task event topics (core/runtime/events.go). */
public final class Topics {
    public static final String TASK_CREATE = "/tasks/create";
    public static final String TASK_START = "/tasks/start";
    public static final String TASK_EXIT = "/tasks/exit";
    public static final String TASK_DELETE = "/tasks/delete";
    public static final String TASK_EXEC_ADDED = "/tasks/exec-added";
    public static final String TASK_EXEC_STARTED = "/tasks/exec-started";
    public static final String TASK_OOM = "/tasks/oom";
    public static final String TASK_PAUSED = "/tasks/paused";
    public static final String TASK_RESUMED = "/tasks/resumed";

    private Topics() {}
}
