package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestProcessTest {
    private static GuestProcess with(List<String> args, List<String> env, String cwd, int uid) {
        return new GuestProcess(args, env, cwd, uid, 0, List.of(), "h");
    }

    @Test
    void acceptsAnyBytesButNul() {
        GuestProcess p =
                with(List.of("/bin/sh", "-c", "echo 'a b' \"c\"\nnext"), List.of("A=x y", "B="), "/srv/app dir", 1000);
        assertThat(p.args()).hasSize(3);
        assertThat(p.env()).containsExactly("A=x y", "B=");
    }

    @Test
    void copiesItsLists() {
        List<String> args = new ArrayList<>(List.of("/bin/true"));
        GuestProcess p = with(args, List.of(), "/", 0);
        args.add("changed");
        assertThat(p.args()).containsExactly("/bin/true");
        assertThatThrownBy(() -> p.args().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadInputWithTheFieldName() {
        assertThatThrownBy(() -> with(List.of(), List.of(), "/", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("args are empty");
        assertThatThrownBy(() -> with(List.of(""), List.of(), "/", 0)).hasMessageContaining("args[0] is empty");
        assertThatThrownBy(() -> with(List.of("a", "b\0c"), List.of(), "/", 0))
                .hasMessageContaining("args[1] contains a NUL");
        assertThatThrownBy(() -> with(List.of("a"), List.of("NOEQUALS"), "/", 0))
                .hasMessageContaining("env[0]");
        assertThatThrownBy(() -> with(List.of("a"), List.of("=v"), "/", 0)).hasMessageContaining("env[0]");
        assertThatThrownBy(() -> with(List.of("a"), List.of(), "relative", 0)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> with(List.of("a"), List.of(), "/", -1)).hasMessageContaining("uid and gid");
        assertThatThrownBy(() -> new GuestProcess(List.of("a"), List.of(), "/", 0, 0, List.of(-3), ""))
                .hasMessageContaining("additionalGids");
        assertThatThrownBy(() -> new GuestProcess(List.of("a"), List.of(), "/", 0, 0, List.of(), "x".repeat(65)))
                .hasMessageContaining("hostname");
    }
}
