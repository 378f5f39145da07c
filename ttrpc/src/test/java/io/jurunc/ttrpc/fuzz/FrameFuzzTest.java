package io.jurunc.ttrpc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jurunc.ttrpc.EndOfStream;
import io.jurunc.ttrpc.Frame;
import io.jurunc.ttrpc.FrameReader;
import io.jurunc.ttrpc.Inbound;
import io.jurunc.ttrpc.OversizedFrame;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;

/**
 * Coverage-guided fuzzing of the ttrpc frame reader (issue 11): bytes from a peer are hostile. Any input is
 * read as frames, oversized frames, the end of the stream, or an {@link EOFException} for a truncated frame;
 * anything else (another exception, a frame longer than the limit, a hang) is a bug. The corpus is in
 * src/test/resources/io/jurunc/ttrpc/fuzz/FrameFuzzTestInputs/.
 */
class FrameFuzzTest {
    private static final int LIMIT = 4096;

    @FuzzTest(maxDuration = "15s")
    void frames(byte[] input) throws IOException {
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(input)), LIMIT);
        try {
            for (int i = 0; i <= input.length; i++) {
                Inbound in = reader.next();
                switch (in) {
                    case EndOfStream e -> {
                        return;
                    }
                    case OversizedFrame o -> {
                        if (o.header().length() <= LIMIT) {
                            throw new IllegalStateException("oversized frame within the limit: " + o);
                        }
                    }
                    case Frame f -> {
                        if (f.payload().length > LIMIT) {
                            throw new IllegalStateException("frame beyond the limit: " + f);
                        }
                    }
                }
            }
            throw new IllegalStateException("more frames than input bytes");
        } catch (EOFException truncated) {
            // a frame cut short: the connection ends
        }
    }
}
