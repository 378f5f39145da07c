package io.jurunc.builder.containerfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.builder.image.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Containerfile dialect: Docker's line rules ({@code \} continuation, comments, parser
 * directives) and the instructions FROM, ARG, COPY, ADD, LABEL, ENV, CMD, ENTRYPOINT, WORKDIR, USER
 * and EXPOSE. bima's files (FROM/COPY/LABEL, one unquoted pair per LABEL) parse as they are.
 */
public final class ContainerfileParser {
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z]+)\\s*=\\s*(.*?)\\s*");
    private static final Pattern FLAG = Pattern.compile("--([a-z-]+)(?:=(.*))?");

    private ContainerfileParser() {}

    public static Containerfile parse(Path file, byte[] content) {
        return parse(file, new String(content, StandardCharsets.UTF_8));
    }

    public static Containerfile parse(Path file, String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        List<Instruction> out = new ArrayList<>();
        String syntax = null;
        boolean directivesAllowed = true;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int start = i + 1;
            i++;
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                Matcher m = DIRECTIVE.matcher(trimmed);
                if (directivesAllowed && m.matches()) {
                    String key = m.group(1).toLowerCase(Locale.ROOT);
                    if (key.equals("syntax")) {
                        syntax = m.group(2);
                    } else if (key.equals("escape") && !m.group(2).equals("\\")) {
                        throw new BuildFileException(
                                new Location(file, start),
                                "escape directive \"" + m.group(2) + "\" is not supported",
                                "remove it; the escape character is always \\");
                    }
                } else {
                    directivesAllowed = false;
                }
                continue;
            }
            directivesAllowed = false;
            if (trimmed.isEmpty()) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            String cur = line;
            while (true) {
                String s = stripTrailing(cur);
                if (s.endsWith("\\")) {
                    logical.append(s, 0, s.length() - 1);
                    // continuation: comment lines and empty lines inside are skipped, as Docker does
                    while (i < lines.length && (lines[i].strip().startsWith("#") || lines[i].isBlank())) {
                        i++;
                    }
                    if (i >= lines.length) {
                        break;
                    }
                    cur = lines[i++];
                } else {
                    logical.append(s);
                    break;
                }
            }
            out.add(instruction(new Location(file, start), logical.toString().strip()));
        }
        return new Containerfile(file, syntax, out);
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    private static Instruction instruction(Location loc, String text) {
        int sp = indexOfWhitespace(text);
        String keyword = sp < 0 ? text : text.substring(0, sp);
        String args = sp < 0 ? "" : text.substring(sp).strip();
        String upper = keyword.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "FROM" -> from(loc, args);
            case "ARG" -> arg(loc, args);
            case "COPY", "ADD" -> copy(loc, upper.equals("ADD"), args);
            case "LABEL" -> new Instruction.Label(loc, required(loc, upper, args, "LABEL key=value"));
            case "ENV" -> new Instruction.Env(loc, required(loc, upper, args, "ENV KEY=value"));
            case "CMD", "ENTRYPOINT" ->
                new Instruction.Command(loc, upper.equals("ENTRYPOINT"), command(loc, upper, args));
            case "WORKDIR" -> new Instruction.Workdir(loc, required(loc, upper, args, "WORKDIR /path"));
            case "USER" -> new Instruction.User(loc, required(loc, upper, args, "USER name[:group]"));
            case "EXPOSE" -> new Instruction.Expose(loc, required(loc, upper, args, "EXPOSE 8080[/tcp]"));
            case "RUN" ->
                throw new BuildFileException(
                        loc,
                        "RUN is not supported: jurunc build has no build container",
                        "build the files beforehand (on the host or in another image) and COPY them in");
            case "MAINTAINER", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD" ->
                throw new BuildFileException(
                        loc,
                        upper + " is not supported by jurunc build",
                        "remove it (supported: FROM, ARG, COPY, ADD, LABEL, ENV, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE)");
            default ->
                throw new BuildFileException(
                        loc,
                        "unknown instruction \"" + keyword + "\"",
                        "use one of FROM, ARG, COPY, ADD, LABEL, ENV, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE");
        };
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String required(Location loc, String keyword, String args, String example) {
        if (args.isEmpty()) {
            throw new BuildFileException(loc, keyword + " needs an argument", "write it as " + example);
        }
        return args;
    }

    private static Instruction.From from(Location loc, String args) {
        List<String> words = raw(loc, required(loc, "FROM", args, "FROM scratch or FROM image:tag"));
        String platform = null;
        List<String> rest = new ArrayList<>();
        for (String w : words) {
            Matcher m = FLAG.matcher(w);
            if (rest.isEmpty() && m.matches()) {
                if (!m.group(1).equals("platform") || m.group(2) == null) {
                    throw new BuildFileException(loc, "unknown FROM flag " + w, "only --platform=OS/ARCH is accepted");
                }
                platform = m.group(2);
            } else {
                rest.add(w);
            }
        }
        if (rest.size() == 1) {
            return new Instruction.From(loc, rest.getFirst(), platform, null);
        }
        if (rest.size() == 3 && rest.get(1).equalsIgnoreCase("AS")) {
            return new Instruction.From(loc, rest.getFirst(), platform, rest.get(2));
        }
        throw new BuildFileException(loc, "malformed FROM \"" + args + "\"", "write FROM IMAGE [AS NAME]");
    }

    private static Instruction.Arg arg(Location loc, String args) {
        List<String> words = raw(loc, required(loc, "ARG", args, "ARG NAME[=default]"));
        if (words.size() != 1) {
            throw new BuildFileException(loc, "ARG takes one NAME[=default]", "write one ARG per line");
        }
        String w = words.getFirst();
        int eq = w.indexOf('=');
        String name = eq < 0 ? w : w.substring(0, eq);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BuildFileException(loc, "bad ARG name \"" + name + "\"", "use letters, digits and _");
        }
        return new Instruction.Arg(loc, name, eq < 0 ? null : w.substring(eq + 1));
    }

    private static Instruction.Copy copy(Location loc, boolean add, String args) {
        String kw = add ? "ADD" : "COPY";
        required(loc, kw, args, kw + " SRC... DEST");
        String chmod = null;
        String chown = null;
        String rest = args;
        while (rest.startsWith("--")) {
            int sp = indexOfWhitespace(rest);
            String flag = sp < 0 ? rest : rest.substring(0, sp);
            rest = sp < 0 ? "" : rest.substring(sp).strip();
            Matcher m = FLAG.matcher(flag);
            if (!m.matches()) {
                throw new BuildFileException(loc, "malformed flag " + flag, "write --name=value");
            }
            switch (m.group(1)) {
                case "chmod" -> chmod = value(loc, m, flag);
                case "chown" -> chown = value(loc, m, flag);
                case "link" -> {}
                case "from" ->
                    throw new BuildFileException(
                            loc,
                            kw + " --from is not supported (no multi-stage builds)",
                            "copy the files into the build context and " + kw + " them from there");
                default ->
                    throw new BuildFileException(
                            loc, "unknown " + kw + " flag " + flag, "use --chmod=MODE, --chown=UID:GID or --link");
            }
        }
        List<String> words;
        if (rest.startsWith("[")) {
            List<String> json = jsonArray(loc, rest);
            if (json == null) {
                throw new BuildFileException(
                        loc,
                        kw + " JSON form is not a valid array of strings",
                        "write " + kw + " [\"src\", \"dest\"] with double quotes");
            }
            // keep words in raw (quoted) form so that variables still expand and spaces survive
            words = json.stream()
                    .map(w -> "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .toList();
        } else {
            words = raw(loc, rest);
        }
        if (words.size() < 2) {
            throw new BuildFileException(
                    loc, kw + " needs at least one source and a destination", "write " + kw + " SRC... DEST");
        }
        return new Instruction.Copy(
                loc, add, List.copyOf(words.subList(0, words.size() - 1)), words.getLast(), chmod, chown);
    }

    private static String value(Location loc, Matcher m, String flag) {
        if (m.group(2) == null || m.group(2).isEmpty()) {
            throw new BuildFileException(loc, "flag " + flag + " needs a value", "write " + flag + "=VALUE");
        }
        return m.group(2);
    }

    private static List<String> command(Location loc, String keyword, String args) {
        if (args.isEmpty()) {
            throw new BuildFileException(
                    loc, keyword + " needs a command", "write " + keyword + " [\"/bin/app\", \"arg\"]");
        }
        if (args.startsWith("[")) {
            List<String> json = jsonArray(loc, args);
            if (json != null) {
                return json;
            }
        }
        return List.of("/bin/sh", "-c", args);
    }

    /** A JSON array of strings, or null when the text is not one (Docker then uses shell form). */
    private static List<String> jsonArray(Location loc, String text) {
        try {
            JsonNode n = Json.parse(text.getBytes(StandardCharsets.UTF_8));
            if (!n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    return null;
                }
                out.add(e.asText());
            }
            return out;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static List<String> raw(Location loc, String text) {
        try {
            return ShellWords.rawWords(text);
        } catch (ShellWords.SyntaxError e) {
            throw new BuildFileException(loc, e.getMessage(), "close the quote");
        }
    }
}
