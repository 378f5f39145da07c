package io.jurunc.cli.served;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void stringListsRoundTrip() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Frames.writeStrings(Channels.newChannel(buf), Frames.SPAWN, List.of("", "/dev/null", "é", "x"));
        byte[] wire = buf.toByteArray();
        assertThat(wire[0]).isEqualTo((byte) (wire.length - 4)); // little-endian length of type + payload
        assertThat(wire[4]).isEqualTo(Frames.SPAWN);
        Frames.Frame f = Frames.read(Channels.newChannel(new ByteArrayInputStream(wire)));
        assertThat(f.strings()).containsExactly("", "/dev/null", "é", "x");
    }

    @Test
    void malformedInputIsRefused() {
        assertThatThrownBy(() -> Frames.strings(new byte[] {'a', 0, 'b'})).isInstanceOf(Frames.ProtocolException.class);
        assertThatThrownBy(() -> Frames.encode(List.of("a\0b"))).isInstanceOf(Frames.ProtocolException.class);
        byte[] huge = {0, 0, 0, 0x7f, 'Q'};
        assertThatThrownBy(() -> Frames.read(Channels.newChannel(new ByteArrayInputStream(huge))))
                .isInstanceOf(Frames.ProtocolException.class);
        byte[] empty = {0, 0, 0, 0};
        assertThatThrownBy(() -> Frames.read(Channels.newChannel(new ByteArrayInputStream(empty))))
                .isInstanceOf(Frames.ProtocolException.class);
        byte[] cut = {9, 0, 0, 0, 'Q', 1};
        assertThatThrownBy(() -> Frames.read(Channels.newChannel(new ByteArrayInputStream(cut))))
                .isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void requestsAreParsedOrRefused() throws Exception {
        FrontRequest r = FrontRequest.parse(List.of(
                "1",
                "/opt/j",
                "/work",
                "mnt:[1]",
                "pid:[2]",
                "user:[3]",
                "2",
                "state",
                "c1",
                "A=1",
                "junk",
                "B=x=y",
                "A=2"));
        assertThat(r.args()).containsExactly("state", "c1");
        assertThat(r.cwd()).isEqualTo(Path.of("/work"));
        assertThat(r.env()).containsEntry("A", "1").containsEntry("B", "x=y").hasSize(2);
        assertThat(r.namespaces()).isEqualTo(new FrontRequest.Namespaces("mnt:[1]", "pid:[2]", "user:[3]"));
        for (List<String> bad : List.of(
                List.of("2", "/h", "/w", "m", "p", "u", "0"),
                List.of("1", "/h", "rel", "m", "p", "u", "0"),
                List.of("1", "/h", "/w", "m", "p", "u", "3", "a"),
                List.of("1", "/h", "/w", "m", "p", "u", "-1"),
                List.of("1", "/h", "/w", "m", "p", "u", "x"),
                List.of("1", "/h", "/w"))) {
            assertThatThrownBy(() -> FrontRequest.parse(bad))
                    .as(bad.toString())
                    .isInstanceOf(Frames.ProtocolException.class);
        }
    }
}
