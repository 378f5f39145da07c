package io.jurunc.runtime.state;

/** No jurunc container of that id under the state root. */
public final class ContainerNotFoundException extends io.jurunc.runtime.JuruncException {
    public ContainerNotFoundException(String id) {
        super("container '" + id + "' does not exist");
    }
}
