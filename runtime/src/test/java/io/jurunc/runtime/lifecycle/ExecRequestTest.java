package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.oci.Spec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecRequestTest {
    @Test
    void encodesTheMagicThenTagValuePairsEachNulTerminated() throws Exception {
        ExecRequest r =
                ExecRequest.of(List.of("sh", "-c", "echo ü"), List.of("A=1", "B="), "/w", 7, 8, List.of(9L), true);
        String text = new String(r.encode(), StandardCharsets.UTF_8);
        assertThat(text)
                .isEqualTo(String.join(
                                "\0",
                                List.of(
                                        "JURUNC-EXEC-1",
                                        "arg",
                                        "sh",
                                        "arg",
                                        "-c",
                                        "arg",
                                        "echo ü",
                                        "env",
                                        "A=1",
                                        "env",
                                        "B=",
                                        "cwd",
                                        "/w",
                                        "uid",
                                        "7",
                                        "gid",
                                        "8",
                                        "group",
                                        "9",
                                        "tty",
                                        "1"))
                        + "\0");
    }

    @Test
    void defaultsAreRootInTheRootDirectoryWithoutATerminal() throws Exception {
        ExecRequest r = ExecRequest.of(new Spec.Process(null, null, List.of("true"), List.of(), null));
        assertThat(r.cwd()).isEqualTo("/");
        assertThat(r.uid()).isZero();
        assertThat(r.gid()).isZero();
        assertThat(r.tty()).isFalse();
        assertThat(new String(r.encode(), StandardCharsets.UTF_8)).endsWith("\0tty\0" + "0\0");
    }

    @Test
    void anOciProcessGivesItsUserGroupsAndTerminal() throws Exception {
        ExecRequest r = ExecRequest.of(new Spec.Process(
                true, new Spec.User(1000, 100, List.of(5, 6)), List.of("id"), List.of("PATH=/bin"), "/tmp"));
        assertThat(r.uid()).isEqualTo(1000);
        assertThat(r.gid()).isEqualTo(100);
        assertThat(r.additionalGids()).containsExactly(5L, 6L);
        assertThat(r.tty()).isTrue();
        assertThat(r.cwd()).isEqualTo("/tmp");
    }

    @Test
    void refusesWhatTheGuestCouldNotRun() {
        assertThatThrownBy(() -> ExecRequest.of(List.of(), List.of(), "/", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("needs a command");
        assertThatThrownBy(() -> ExecRequest.of(List.of(""), List.of(), "/", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class);
        assertThatThrownBy(() -> ExecRequest.of(List.of("a\0b"), List.of(), "/", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> ExecRequest.of(List.of("x"), List.of("NOEQUALS"), "/", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> ExecRequest.of(List.of("x"), List.of("=v"), "/", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class);
        assertThatThrownBy(() -> ExecRequest.of(List.of("x"), List.of(), "tmp", 0, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> ExecRequest.of(List.of("x"), List.of(), "/", -1, 0, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("uid");
        assertThatThrownBy(() -> ExecRequest.of(List.of("x"), List.of(), "/", 0, 0xFFFF_FFFFL, List.of(), false))
                .isInstanceOf(InvalidExecException.class)
                .hasMessageContaining("gid");
    }
}
