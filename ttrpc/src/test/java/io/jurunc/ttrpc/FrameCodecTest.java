package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void requestFrameMatchesHandComputedBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(out), MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);

        writer.write(
                1,
                MessageType.REQUEST,
                Envelopes.request("svc", "Echo", "hi".getBytes(), CallOptions.timeout(Duration.ofNanos(5))));

        // header: length 17, stream 1, type REQUEST, flags 0
        // payload: service=1 "svc", method=2 "Echo", payload=3 "hi", timeout_nano=4 5
        String expected = "00000011" + "00000001" + "01" + "00" + "0a03737663" + "12044563686f" + "1a026869" + "2005";
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(expected);
        // the generic frame path produces the same bytes
        byte[] payload = Envelopes.request("svc", "Echo", "hi".getBytes(), CallOptions.timeout(Duration.ofNanos(5)))
                .toByteArray();
        assertThat(HEX.formatHex(toArray(FrameWriter.encode(new Frame(1, MessageType.REQUEST, payload)))))
                .isEqualTo(expected);
    }

    @Test
    void framesSerialisedInPlaceOrStreamedReadBackWhole() throws Exception {
        // one frame fits the writer's buffer (serialised straight into it), the next does not (streamed through
        // it), then a small one again: each comes back byte for byte, in order
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(out), MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);
        int[] sizes = {3, 128 * 1024 - FrameHeader.LENGTH - 8, 300 * 1024, 0, 17};
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] body = new byte[sizes[i]];
            new java.util.Random(i).nextBytes(body);
            sent.add(body);
            writer.write(2 * i + 1, MessageType.RESPONSE, (byte) 0, Payload.of(Envelopes.ok(body)));
        }
        FrameReader reader = new FrameReader(
                Channels.newChannel(new java.io.ByteArrayInputStream(out.toByteArray())),
                MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);
        for (int i = 0; i < sizes.length; i++) {
            Frame f = (Frame) reader.next();
            assertThat(f.streamId()).isEqualTo(2 * i + 1);
            assertThat(Envelopes.parseResponse(f.payload()).getPayload().toByteArray())
                    .isEqualTo(sent.get(i));
        }
        assertThat(reader.next()).isInstanceOf(EndOfStream.class);
    }

    @Test
    void parsedEnvelopesShareTheFrameArrayInsteadOfCopyingThePayload() throws Exception {
        byte[] request = Envelopes.request("s", "m", new byte[] {1, 2, 3}, CallOptions.none())
                .toByteArray();
        var parsed = Envelopes.parseRequest(request);
        request[request.length - 1] = 9;
        assertThat(parsed.getPayload().toByteArray()).containsExactly(1, 2, 9);

        byte[] response = Envelopes.ok(new byte[] {4, 5}).toByteArray();
        var answer = Envelopes.parseResponse(response);
        response[response.length - 1] = 7;
        assertThat(answer.getPayload().toByteArray()).containsExactly(4, 7);
    }

    @Test
    void metadataIsEncodedAsRepeatedKeyValues() {
        byte[] request = Envelopes.request(
                        "s", "m", new byte[0], CallOptions.none().withMetadata("containerd-namespace-ttrpc", "k8s.io"))
                .toByteArray();
        // 0a 01 's' | 12 01 'm' | 2a <len> { 0a 1a key | 12 06 value }
        String key = HEX.formatHex("containerd-namespace-ttrpc".getBytes());
        String value = HEX.formatHex("k8s.io".getBytes());
        assertThat(HEX.formatHex(request)).isEqualTo("0a0173" + "12016d" + "2a24" + "0a1a" + key + "1206" + value);
    }

    @Test
    void okResponseCarriesAnEmptyStatus() {
        assertThat(HEX.formatHex(Envelopes.ok(new byte[] {7}).toByteArray())).isEqualTo("0a00" + "120107");
        assertThat(HEX.formatHex(Envelopes.error(StatusCode.UNIMPLEMENTED, "x").toByteArray()))
                .isEqualTo("0a05" + "080c" + "120178");
    }

    @Test
    void headerRoundTripsUnsignedValues() {
        FrameHeader h = new FrameHeader(0xFFFF_FFFFL, 0xFFFF_FFFD, (byte) 0x7f, (byte) 0x05);
        ByteBuffer buf = ByteBuffer.allocate(FrameHeader.LENGTH);
        h.encode(buf);
        assertThat(HEX.formatHex(buf.array())).isEqualTo("ffffffff" + "fffffffd" + "7f" + "05");
        assertThat(FrameHeader.decode(buf.flip())).isEqualTo(h);
    }

    @Test
    void readsConsecutiveFramesThenEndOfStream() throws Exception {
        ReadableByteChannel in = channelOf(
                new Frame(1, MessageType.REQUEST, "a".getBytes()),
                new Frame(3, MessageType.DATA.code(), Frame.FLAG_NO_DATA, new byte[0]),
                new Frame(5, MessageType.REQUEST, new byte[40_000]));
        FrameReader reader = new FrameReader(in, MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);

        assertThat(reader.next()).isEqualTo(new Frame(1, MessageType.REQUEST, "a".getBytes()));
        assertThat(reader.next()).isEqualTo(new Frame(3, MessageType.DATA.code(), Frame.FLAG_NO_DATA, new byte[0]));
        assertThat(reader.next()).isEqualTo(new Frame(5, MessageType.REQUEST, new byte[40_000]));
        assertThat(reader.next()).isEqualTo(EndOfStream.INSTANCE);
    }

    @Test
    void oversizedPayloadIsDiscardedAndTheNextFrameStillReads() throws Exception {
        ReadableByteChannel in = channelOf(
                new Frame(7, MessageType.REQUEST, new byte[100]), new Frame(9, MessageType.REQUEST, "ok".getBytes()));
        FrameReader reader = new FrameReader(in, 64);

        Inbound first = reader.next();
        assertThat(first).isInstanceOfSatisfying(OversizedFrame.class, o -> {
            assertThat(o.header().streamId()).isEqualTo(7);
            assertThat(o.toException().code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
            assertThat(o.toException().statusMessage())
                    .isEqualTo("message length 100 exceed maximum message size of 64");
        });
        assertThat(reader.next()).isEqualTo(new Frame(9, MessageType.REQUEST, "ok".getBytes()));
    }

    @Test
    void truncatedFrameIsAnError() {
        byte[] wire = toArray(FrameWriter.encode(new Frame(1, MessageType.REQUEST, new byte[10])));
        FrameReader cutInPayload =
                new FrameReader(Channels.newChannel(new java.io.ByteArrayInputStream(wire, 0, 15)), 1024);
        FrameReader cutInHeader =
                new FrameReader(Channels.newChannel(new java.io.ByteArrayInputStream(wire, 0, 4)), 1024);

        assertThatThrownBy(cutInPayload::next).isInstanceOf(EOFException.class).hasMessageContaining("payload");
        assertThatThrownBy(cutInHeader::next).isInstanceOf(EOFException.class).hasMessageContaining("header");
    }

    @Test
    void writerRefusesOversizedPayloadWithoutWriting() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(out), 8);

        assertThatThrownBy(() -> writer.write(new Frame(1, MessageType.REQUEST, new byte[9])))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("message length 9 exceed maximum message size of 8");
        assertThat(out.size()).isZero();
    }

    static ReadableByteChannel channelOf(Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(toArray(FrameWriter.encode(f)));
        }
        return Channels.newChannel(new java.io.ByteArrayInputStream(out.toByteArray()));
    }

    static byte[] toArray(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        return b;
    }
}
