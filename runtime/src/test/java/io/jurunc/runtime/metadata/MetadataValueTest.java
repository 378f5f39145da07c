package io.jurunc.runtime.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataValueTest {
    private static final String KEY = MetadataKeys.HYPERVISOR;

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
        assertThat(MetadataValue.decode(KEY, plain)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu", "unikraft", "/unikernel/httpreply", "0.16.3", "service0", "ünïcødé"})
    void legacyBareBase64IsDecoded(String plain) throws Exception {
        assertThat(MetadataValue.decode(KEY, b64(plain))).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu", "unikraft", "/unikernel/httpreply", "a b c", "x"})
    void prefixedBase64IsDecoded(String plain) throws Exception {
        assertThat(MetadataValue.decode(KEY, "b64:" + b64(plain))).isEqualTo(plain);
    }

    @Test
    void bareBase64OfBinaryOrControlBytesStaysPlainText() throws Exception {
        String binary = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x00, 0x41});
        assertThat(MetadataValue.decode(KEY, binary)).isEqualTo(binary);
        String control = b64("a\nb");
        assertThat(MetadataValue.decode(KEY, control)).isEqualTo(control);
        // unpadded base64 is not canonical: plain
        assertThat(MetadataValue.decode(KEY, "cWVtdQ")).isEqualTo("cWVtdQ");
    }

    @Test
    void aPrefixedValueThatIsNotBase64OfTextIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> MetadataValue.decode(KEY, "b64:not base64!"))
                .isInstanceOf(MetadataException.class)
                .hasMessageStartingWith(KEY + ": has the b64: prefix but is not valid base64");
        String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, 0x28});
        assertThatThrownBy(() -> MetadataValue.decode(KEY, "b64:" + notUtf8))
                .isInstanceOf(MetadataException.class)
                .satisfies(e -> assertThat(((MetadataException) e).key()).isEqualTo(KEY));
    }

    @Test
    void controlCharactersAndOverlongValuesAreErrors() {
        assertThatThrownBy(() -> MetadataValue.decode(KEY, "qemu\n-device evil"))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> MetadataValue.decode(KEY, "b64:" + b64("a\u0000b")))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> MetadataValue.decode(KEY, "x".repeat(MetadataValue.MAX_LENGTH + 1)))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("longer than");
    }
}
