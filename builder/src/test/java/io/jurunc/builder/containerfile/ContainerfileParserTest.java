package io.jurunc.builder.containerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerfileParserTest {
    private static final Path F = Path.of("ctx/Containerfile");

    private static List<Instruction> parse(String text) {
        return ContainerfileParser.parse(F, text).instructions();
    }

    @Test
    void joinsContinuationsSkippingCommentsAndKeepsFirstLineNumber() {
        List<Instruction> ins = parse("""
                # syntax=harbor.nbfc.io/nubificus/bunny:latest
                FROM scratch

                LABEL a=1 \\
                # a comment inside
                      b="two words" \\
                      c='3'
                COPY x /y
                """);
        assertThat(ins).hasSize(3);
        Instruction.Label l = (Instruction.Label) ins.get(1);
        assertThat(l.location().line()).isEqualTo(4);
        assertThat(l.rawArguments()).contains("a=1").contains("b=\"two words\"").contains("c='3'");
        assertThat(((Instruction.Copy) ins.get(2)).location().line()).isEqualTo(8);
        assertThat(ContainerfileParser.parse(F, "#syntax=x/y:1\nFROM scratch\n").syntax())
                .isEqualTo("x/y:1");
    }

    @Test
    void execAndShellFormsOfCmdAndEntrypoint() {
        List<Instruction> ins =
                parse("FROM scratch\nCMD [\"/bin/app\", \"-x\"]\nENTRYPOINT /bin/run --flag\nCMD [not json\n");
        assertThat(((Instruction.Command) ins.get(1)).arguments()).containsExactly("/bin/app", "-x");
        Instruction.Command ep = (Instruction.Command) ins.get(2);
        assertThat(ep.entrypoint()).isTrue();
        assertThat(ep.arguments()).containsExactly("/bin/sh", "-c", "/bin/run --flag");
        assertThat(((Instruction.Command) ins.get(3)).arguments()).containsExactly("/bin/sh", "-c", "[not json");
    }

    @Test
    void copyFlagsSourcesAndJsonForm() {
        List<Instruction> ins =
                parse("from scratch\ncopy --chmod=0755 --chown=1:2 a b /dst/\nADD [\"with space\", \"/d\"]\n");
        Instruction.Copy c = (Instruction.Copy) ins.get(1);
        assertThat(c.sources()).containsExactly("a", "b");
        assertThat(c.destination()).isEqualTo("/dst/");
        assertThat(c.chmod()).isEqualTo("0755");
        assertThat(c.chown()).isEqualTo("1:2");
        Instruction.Copy a = (Instruction.Copy) ins.get(2);
        assertThat(a.add()).isTrue();
        assertThat(a.sources()).hasSize(1);
    }

    @Test
    void runIsRefusedWithLineAndAdvice() {
        assertThatThrownBy(() -> parse("FROM scratch\n\nRUN apk add curl\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith("ctx/Containerfile:3: RUN is not supported")
                .hasMessageContaining("COPY them in");
    }

    @Test
    void unknownInstructionNamesLineAndTheSupportedSet() {
        assertThatThrownBy(() -> parse("FROM scratch\nWHAT now\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith("ctx/Containerfile:2: unknown instruction \"WHAT\"")
                .hasMessageContaining("FROM, ARG, COPY");
    }

    @Test
    void malformedInputsEachGiveFileAndLine() {
        assertThatThrownBy(() -> parse("FROM scratch\nCOPY onlyone\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: COPY needs at least one source");
        assertThatThrownBy(() -> parse("FROM scratch\nCOPY --from=builder a b\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: COPY --from is not supported");
        assertThatThrownBy(() -> parse("FROM scratch\nCOPY --bogus=1 a b\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: unknown COPY flag");
        assertThatThrownBy(() -> parse("FROM scratch\nLABEL\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: LABEL needs an argument");
        assertThatThrownBy(() -> parse("FROM a b c d\n")).hasMessageStartingWith("ctx/Containerfile:1: malformed FROM");
        assertThatThrownBy(() -> parse("FROM scratch\nADD [\"a\", 1]\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: ADD JSON form");
        assertThatThrownBy(() -> parse("FROM scratch\nARG 9bad\n"))
                .hasMessageStartingWith("ctx/Containerfile:2: bad ARG name");
        assertThatThrownBy(() -> parse("FROM \"scratch\nCOPY a b\n"))
                .hasMessageStartingWith("ctx/Containerfile:1: unterminated double quote");
        assertThatThrownBy(() -> parse("# escape=`\nFROM scratch\n"))
                .hasMessageStartingWith("ctx/Containerfile:1: escape directive");
    }

    @Test
    void shellWordsHandleQuotesEscapesAndVariables() throws Exception {
        assertThat(ShellWords.split(
                        "a \"b c\" 'd $X' e\\ f $X ${Y:-def} ${X:+alt} ${X}", n -> n.equals("X") ? "x" : null))
                .containsExactly("a", "b c", "d $X", "e f", "x", "def", "alt", "x");
        assertThat(ShellWords.rawWords("k=\"a b\" j='c d'")).containsExactly("k=\"a b\"", "j='c d'");
        assertThatThrownBy(() -> ShellWords.split("${X:?err}", n -> null)).isInstanceOf(ShellWords.SyntaxError.class);
    }
}
