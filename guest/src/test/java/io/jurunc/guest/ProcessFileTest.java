package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessFileTest {
    /** Splits the NUL-terminated strings back apart, as the init does. */
    static List<String> strings(byte[] data) {
        assertThat(data[data.length - 1]).isZero();
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    @Test
    void encodesTaggedPairsInOrder() {
        GuestProcess p = new GuestProcess(
                List.of("/bin/echo", "two words", "quo\"te\nnl", "é"),
                List.of("PATH=/bin", "X=a=b"),
                "/work",
                1000,
                100,
                List.of(10, 20),
                "vm1");
        assertThat(strings(ProcessFile.encode(p)))
                .containsExactly(
                        "JURUNC-PROCESS-1",
                        "arg",
                        "/bin/echo",
                        "arg",
                        "two words",
                        "arg",
                        "quo\"te\nnl",
                        "arg",
                        "é",
                        "env",
                        "PATH=/bin",
                        "env",
                        "X=a=b",
                        "cwd",
                        "/work",
                        "uid",
                        "1000",
                        "gid",
                        "100",
                        "group",
                        "10",
                        "group",
                        "20",
                        "hostname",
                        "vm1");
    }

    @Test
    void encodesTheRootAndMountsAfterTheProcess() {
        GuestLayout layout = new GuestLayout(
                java.util.Optional.of(new GuestMount(GuestMount.Type.NINEP, "rootfs", "/", List.of("ro"), "")),
                List.of(
                        new GuestMount(GuestMount.Type.FILE, "files/0", "/etc/hosts", List.of("ro", "nosuid"), ""),
                        new GuestMount(GuestMount.Type.TMPFS, "tmpfs", "/run", List.of(), "size=1m,mode=755")));
        assertThat(strings(ProcessFile.encode(GuestProcess.of("/bin/true"), layout)))
                .containsExactly(
                        "JURUNC-PROCESS-1",
                        "arg",
                        "/bin/true",
                        "cwd",
                        "/",
                        "uid",
                        "0",
                        "gid",
                        "0",
                        "root",
                        "9p\nrootfs\n/\nro\n",
                        "mount",
                        "file\nfiles/0\n/etc/hosts\nro,nosuid\n",
                        "mount",
                        "tmpfs\ntmpfs\n/run\n\nsize=1m,mode=755");
    }

    @Test
    void aMountCannotCarryANewlineOrAnUnknownFlag() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new GuestMount(GuestMount.Type.NINEP, "m0", "/a\nb", List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new GuestMount(GuestMount.Type.NINEP, "m0", "/a", List.of("rw"), ""))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GuestLayout(
                        java.util.Optional.of(new GuestMount(GuestMount.Type.TMPFS, "t", "/", List.of(), "")),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void omitsAnEmptyHostname() {
        assertThat(strings(ProcessFile.encode(GuestProcess.of("/bin/true"))))
                .containsExactly("JURUNC-PROCESS-1", "arg", "/bin/true", "cwd", "/", "uid", "0", "gid", "0");
    }
}
