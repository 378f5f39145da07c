package io.jurunc.ttrpc;

/** What {@link FrameReader#next()} yields: a frame, a skipped oversized frame, or the end of the stream. */
public sealed interface Inbound permits Frame, OversizedFrame, EndOfStream {}
