package io.jurunc.shim.os;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A task's terminal as the shim holds it, as containerd's runc shim does: a listening unix socket whose
 * path goes to the runtime ({@code --console-socket}), the pty master the runtime sends back on it
 * (SCM_RIGHTS), and the copies between that master and containerd's stdio FIFOs. The runtime gives the
 * pty's slave to the container (a microVM: the monitor's serial console).
 */
public interface Console extends AutoCloseable {
    /** The socket the runtime connects to. */
    Path socket();

    /** Accepts the runtime's connection and takes the pty master; fails after {@code timeout}. */
    void receiveMaster(Duration timeout) throws OsException;

    /**
     * Copies containerd's stdin FIFO into the master and the master into its stdout FIFO, each on a
     * thread of its own, until the container's side of the pty is closed (or the FIFO is).
     */
    void relay(Optional<Path> stdin, Optional<Path> stdout, Consumer<String> log) throws OsException;

    /** {@code TIOCSWINSZ} on the master: the container's window size, in characters. */
    void resize(int width, int height) throws OsException;

    /** Waits up to {@code timeout} for the master's last output to reach the stdout FIFO. */
    void drain(Duration timeout) throws InterruptedException;

    /** Closes the socket, the master and the FIFOs; never fails. */
    @Override
    void close();
}
