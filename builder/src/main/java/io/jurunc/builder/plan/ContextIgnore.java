package io.jurunc.builder.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Docker's ignore file: {@code .containerignore} (as podman/buildah read it) or {@code .dockerignore}
 * in the context root. One pattern per line, {@code #} comments, {@code !} exceptions; the last
 * matching pattern decides; a pattern that matches a directory excludes everything below it;
 * {@code *} and {@code ?} stay within one path component, {@code **} spans any number of them.
 * Ignored files are invisible to COPY and ADD.
 */
public final class ContextIgnore {
    private record Rule(Pattern pattern, boolean exception) {}

    private final List<Rule> rules;

    private ContextIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static final ContextIgnore NONE = new ContextIgnore(List.of());

    public static ContextIgnore load(Path context) {
        for (String name : new String[] {".containerignore", ".dockerignore"}) {
            Path f = context.resolve(name);
            if (Files.isRegularFile(f)) {
                try {
                    return parse(Files.readAllLines(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return NONE;
    }

    public static ContextIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            String clean = ImagePaths.relative(line);
            if (clean.isEmpty()) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(clean)), exception));
        }
        return new ContextIgnore(rules);
    }

    /** Whether {@code rel} (a context-relative path with '/' separators) is excluded. */
    public boolean ignored(String rel) {
        if (rules.isEmpty() || rel.isEmpty()) {
            return false;
        }
        boolean out = false;
        for (Rule r : rules) {
            if (matchesOrParent(r.pattern(), rel)) {
                out = !r.exception();
            }
        }
        return out;
    }

    private static boolean matchesOrParent(Pattern p, String rel) {
        if (p.matcher(rel).matches()) {
            return true;
        }
        for (int i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
            if (p.matcher(rel.substring(0, i)).matches()) {
                return true;
            }
        }
        return false;
    }

    static String regex(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    r.append("(?:.*/)?");
                } else {
                    r.append(".*");
                }
            } else if (c == '*') {
                r.append("[^/]*");
            } else if (c == '?') {
                r.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    r.append("\\[");
                } else {
                    String cls = glob.substring(i + 1, end);
                    r.append('[')
                            .append(cls.startsWith("!") || cls.startsWith("^") ? "^" + cls.substring(1) : cls)
                            .append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                r.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }
}
