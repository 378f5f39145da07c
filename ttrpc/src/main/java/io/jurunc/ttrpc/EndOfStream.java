package io.jurunc.ttrpc;

/** The peer closed the connection cleanly between two frames. */
public enum EndOfStream implements Inbound {
    INSTANCE
}
