package io.jurunc.cli.served;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.channels.Channels;

/**
 * Coverage-guided fuzzing of what the node daemon reads from a front: any byte stream either yields a frame and
 * a request, or a {@link Frames.ProtocolException} / {@link EOFException}; anything else (another exception, a
 * hang, an allocation the length did not allow) is a bug.
 */
class FrontRequestFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void read(FuzzedDataProvider data) throws Exception {
        byte[] wire = data.consumeRemainingAsBytes();
        try {
            Frames.Frame f = Frames.read(Channels.newChannel(new ByteArrayInputStream(wire)));
            FrontRequest.parse(f.strings());
        } catch (Frames.ProtocolException | EOFException expected) {
            // refused
        }
    }
}
