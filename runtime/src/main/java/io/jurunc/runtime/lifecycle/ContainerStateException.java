package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** The operation is not legal in the container's current status (e.g. start of a running one). */
public final class ContainerStateException extends JuruncException {
  public ContainerStateException(String message) {
    super(message);
  }
}
