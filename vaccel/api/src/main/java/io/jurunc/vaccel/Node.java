package io.jurunc.vaccel;

import java.util.Objects;

/** A model graph node: input or output name plus index (vAccel's {@code vaccel_tf_node}). */
public record Node(String name, int id) {
    public Node {
        Objects.requireNonNull(name, "name");
    }
}
