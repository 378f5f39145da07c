package io.jurunc.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bundles are WASM, and how a hostile image's entrypoint and urunc.json are read. */
class WasmSelectionTest {
    @TempDir
    Path rootfs;

    @Test
    void annotationsSelectByEachConvention() {
        assertThat(WasmSelection.byAnnotations(Map.of("module.wasm.image/variant", "compat")))
                .isTrue();
        assertThat(WasmSelection.byAnnotations(Map.of("module.wasm.image/variant", "compat-smart")))
                .isTrue();
        assertThat(WasmSelection.byAnnotations(Map.of("run.oci.handler", "wasm")))
                .isTrue();
        assertThat(WasmSelection.byAnnotations(Map.of("com.urunc.unikernel.unikernelType", "wasm")))
                .isTrue();
        assertThat(WasmSelection.byAnnotations(Map.of("module.wasm.image/variant", "oci")))
                .isFalse();
        assertThat(WasmSelection.byAnnotations(Map.of("com.urunc.unikernel.unikernelType", "linux")))
                .isFalse();
        assertThat(WasmSelection.byAnnotations(Map.of())).isFalse();
    }

    @Test
    void uruncJsonInEveryEncoding() throws Exception {
        for (String v : new String[] {"d2FzbQ==", "b64:d2FzbQ==", "wasm"}) {
            Files.writeString(rootfs.resolve("urunc.json"), "{\"com.urunc.unikernel.unikernelType\":\"" + v + "\"}");
            assertThat(WasmSelection.selects(Map.of(), rootfs)).as(v).isTrue();
        }
        Files.writeString(rootfs.resolve("urunc.json"), "{\"com.urunc.unikernel.unikernelType\":\"bGludXg=\"}");
        assertThat(WasmSelection.selects(Map.of(), rootfs)).isFalse();
        Files.delete(rootfs.resolve("urunc.json"));
        assertThat(WasmSelection.selects(Map.of(), rootfs)).isFalse();
    }

    @Test
    void brokenOrOversizedUruncJsonIsAnError() throws Exception {
        Files.writeString(rootfs.resolve("urunc.json"), "{not json");
        assertThatThrownBy(() -> WasmSelection.selects(Map.of(), rootfs))
                .isInstanceOf(WasmException.class)
                .hasMessageContaining("not JSON");
        Files.write(rootfs.resolve("urunc.json"), new byte[(int) WasmSelection.MAX_URUNC_JSON + 1]);
        assertThatThrownBy(() -> WasmSelection.selects(Map.of(), rootfs))
                .isInstanceOf(WasmException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void aNonModuleEntrypointIsNamedInTheError() throws Exception {
        Files.writeString(rootfs.resolve("app.sh"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> ModuleBytes.read(rootfs, "/app.sh"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("/app.sh is not a WebAssembly module");
        assertThatThrownBy(() -> ModuleBytes.read(rootfs, "/missing.wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("does not exist in the image");
        Files.createDirectory(rootfs.resolve("dir.wasm"));
        assertThatThrownBy(() -> ModuleBytes.read(rootfs, "/dir.wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("not a regular file");
        Files.write(rootfs.resolve("component.wasm"), new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0});
        assertThatThrownBy(() -> ModuleBytes.read(rootfs, "/component.wasm"))
                .hasMessageContaining("components are not supported");
    }

    @Test
    void anEntrypointLinkIsResolvedInsideTheRootfs(@TempDir Path outside) throws Exception {
        byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0};
        Files.write(outside.resolve("host.wasm"), module);
        Files.createSymbolicLink(rootfs.resolve("app.wasm"), outside.resolve("host.wasm"));
        // the absolute target is taken inside the rootfs, where it does not exist
        assertThatThrownBy(() -> ModuleBytes.read(rootfs, "/app.wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("does not exist in the image");
        Path inside = rootfs.resolve(outside.toString().substring(1));
        Files.createDirectories(inside);
        Files.write(inside.resolve("host.wasm"), module);
        assertThat(ModuleBytes.read(rootfs, "/app.wasm").digest()).startsWith("sha256:");
    }

    @Test
    void anEmptyArgsListIsAClearError(@TempDir Path bundle) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[]}}");
        assertThatThrownBy(() -> WasmConfig.load("x", bundle))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("process.args is empty");
        Files.writeString(
                bundle.resolve("config.json"),
                "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"/a.wasm\"]},"
                        + "\"annotations\":{\"io.jurunc.wasm.cpu-budget-ms\":\"-5\"}}");
        assertThatThrownBy(() -> WasmConfig.load("x", bundle))
                .hasMessageContaining("positive number of CPU milliseconds");
    }
}
