package io.jurunc.urunc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UruncValueTest {
    private static final String KEY = UruncKeys.HYPERVISOR;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "qemu",
                "unikraft",
                "spt",
                "hvt",
                "mirage",
                "rumprun",
                "linux",
                "true",
                "false",
                "0.16.3",
                "v0.17.0",
                "/unikernel/httpreply",
                "/unikernel/hello",
                "/data",
                "service0",
                "storage",
                "firecracker",
                "cloud-hypervisor",
                "vsock",
                "mewz",
                "hermit",
                "httpreply netdev.ip=10.0.0.2/24:10.0.0.1"
            })
    void plainValuesStayPlain(String plain) throws Exception {
        assertThat(UruncValue.decode(KEY, plain)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu", "unikraft", "/unikernel/httpreply", "0.16.3", "service0", "ünïcødé"})
    void legacyBareBase64IsDecoded(String plain) throws Exception {
        assertThat(UruncValue.decode(KEY, b64(plain))).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu", "unikraft", "/unikernel/httpreply", "a b c", "x"})
    void prefixedBase64IsDecoded(String plain) throws Exception {
        assertThat(UruncValue.decode(KEY, "b64:" + b64(plain))).isEqualTo(plain);
    }

    @Test
    void bareBase64OfBinaryOrControlBytesStaysPlainText() throws Exception {
        String binary = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x00, 0x41});
        assertThat(UruncValue.decode(KEY, binary)).isEqualTo(binary);
        String control = b64("a\nb");
        assertThat(UruncValue.decode(KEY, control)).isEqualTo(control);
        // unpadded base64 is not canonical: plain
        assertThat(UruncValue.decode(KEY, "cWVtdQ")).isEqualTo("cWVtdQ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu", "/unikernel/app.bin", "ünïcødé", "a b"})
    void encodedValuesDecodeBack(String plain) throws Exception {
        assertThat(UruncValue.encode(plain)).isEqualTo(b64(plain));
        assertThat(UruncValue.decode(KEY, UruncValue.B64_PREFIX + UruncValue.encode(plain)))
                .isEqualTo(plain);
    }

    @Test
    void aPrefixedValueThatIsNotBase64OfTextIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> UruncValue.decode(KEY, "b64:not base64!"))
                .isInstanceOf(UruncValueException.class)
                .hasMessageStartingWith(KEY + ": has the b64: prefix but is not valid base64");
        String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, 0x28});
        assertThatThrownBy(() -> UruncValue.decode(KEY, "b64:" + notUtf8))
                .isInstanceOf(UruncValueException.class)
                .satisfies(e -> assertThat(((UruncValueException) e).key()).isEqualTo(KEY));
    }

    @Test
    void controlCharactersAndOverlongValuesAreErrors() {
        assertThatThrownBy(() -> UruncValue.decode(KEY, "qemu\n-device evil"))
                .isInstanceOf(UruncValueException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> UruncValue.decode(KEY, "b64:" + b64("a\u0000b")))
                .isInstanceOf(UruncValueException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> UruncValue.decode(KEY, "x".repeat(UruncValue.MAX_LENGTH + 1)))
                .isInstanceOf(UruncValueException.class)
                .hasMessageContaining("longer than");
    }
}
