package io.jurunc.runtime.net;

import java.util.List;

/** Runs one iproute2 command inside a network namespace; the seam under {@link IpRoute2NetTool}. */
interface CommandRunner {
    /**
     * Runs {@code argv} (argv[0] is a tool name such as {@code ip}) inside {@code netns}, feeding it
     * {@code stdin}.
     *
     * @return what it printed on stdout
     * @throws NetOperationException when it exits non-zero (the message has the command line and its
     *     stderr), or when the namespace cannot be entered ({@link NetOperationException#netnsGone()})
     */
    String run(NetnsRef netns, List<String> argv, String stdin) throws NetOperationException;
}
