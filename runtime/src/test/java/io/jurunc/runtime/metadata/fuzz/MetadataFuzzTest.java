package io.jurunc.runtime.metadata.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jurunc.runtime.metadata.MetadataException;
import io.jurunc.runtime.metadata.MetadataReader;
import io.jurunc.urunc.UruncKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the unikernel metadata reader (issue 11): annotations from config.json
 * and {@code /urunc.json} from the image are hostile input. Any input either yields metadata or a
 * {@link MetadataException}; any other exception, a hang or a stack overflow is a bug. The corpus is
 * in src/test/resources/io/jurunc/runtime/metadata/fuzz/MetadataFuzzTestInputs/.
 */
class MetadataFuzzTest {
    private static final List<String> KEYS = List.of(
            UruncKeys.TYPE,
            UruncKeys.HYPERVISOR,
            UruncKeys.BINARY,
            UruncKeys.INITRD,
            UruncKeys.BLOCK,
            UruncKeys.BLK_MNT_POINT,
            UruncKeys.CMDLINE,
            UruncKeys.VERSION,
            UruncKeys.MOUNT_ROOTFS,
            UruncKeys.VACCEL,
            UruncKeys.RPC_ADDRESS,
            UruncKeys.SOLO5_NET_DEV,
            UruncKeys.SOLO5_BLK_DEV,
            UruncKeys.PREFIX + "other");
    private static final Path ROOTFS = rootfs();

    private static Path rootfs() {
        try {
            Path dir = Files.createTempDirectory("jurunc-metadata-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void read(FuzzedDataProvider data) throws IOException {
        Map<String, String> annotations = new HashMap<>();
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            annotations.put(data.pickValue(KEYS), data.consumeString(80));
        }
        Path json = ROOTFS.resolve("urunc.json");
        Files.deleteIfExists(json);
        if (data.consumeBoolean()) {
            Files.write(json, data.consumeRemainingAsBytes());
        }
        try {
            MetadataReader.read(annotations, ROOTFS);
        } catch (MetadataException expected) {
            // refused with a message naming the key
        }
    }
}
