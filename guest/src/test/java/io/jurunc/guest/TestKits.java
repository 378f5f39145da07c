package io.jurunc.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fake kits on disk for unit tests (no real kernel needed). */
final class TestKits {
    private TestKits() {}

    static Path write(Path dir, String json) throws IOException {
        Files.createDirectories(dir.resolve("debian/modules"));
        Files.writeString(dir.resolve("vmlinuz"), "kernel");
        Files.writeString(dir.resolve("debian/vmlinuz"), "debian kernel");
        Files.writeString(dir.resolve("init"), "#!init");
        Files.writeString(dir.resolve("debian/modules/virtio.ko"), "ko1");
        Files.writeString(dir.resolve("debian/modules/virtio_net.ko"), "ko2");
        Files.writeString(dir.resolve("kit.json"), json);
        return dir;
    }

    static final String MICROVM = """
      {"version": 1, "kernel": "vmlinuz", "flavor": "microvm", "init": "init", "modules": [],
       "standard": {"kernel": "debian/vmlinuz", "flavor": "standard",
                    "modules": ["debian/modules/virtio.ko", "debian/modules/virtio_net.ko"]}}
      """;

    static final String STANDARD = """
      {"version": 1, "kernel": "debian/vmlinuz", "flavor": "standard", "init": "init",
       "modules": ["debian/modules/virtio.ko", "debian/modules/virtio_net.ko"],
       "standard": {"kernel": "debian/vmlinuz", "flavor": "standard",
                    "modules": ["debian/modules/virtio.ko", "debian/modules/virtio_net.ko"]}}
      """;
}
