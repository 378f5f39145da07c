package io.jurunc.builder.containerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Docker's word processing: whitespace separates words; single quotes are literal; double quotes
 * group and allow {@code \"}, {@code \\} and {@code \$}; a backslash outside quotes escapes the next
 * character; {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:+alt}} expand
 * outside single quotes (unset variables expand to nothing).
 */
public final class ShellWords {
    /** Thrown for an unterminated quote or a bad substitution; the caller adds FILE:LINE. */
    public static final class SyntaxError extends Exception {
        public SyntaxError(String message) {
            super(message);
        }
    }

    private ShellWords() {}

    /** Splits into words with quotes removed and variables expanded ({@code vars} may return null). */
    public static List<String> split(String text, UnaryOperator<String> vars) throws SyntaxError {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError("unterminated single quote");
                }
                cur.append(text, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                        cur.append(text.charAt(i + 1));
                        i += 2;
                    } else if (d == '$' && vars != null) {
                        i = expand(text, i, vars, cur);
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new SyntaxError("unterminated double quote");
                }
            } else if (c == '\\') {
                if (i + 1 < n) {
                    cur.append(text.charAt(i + 1));
                    i += 2;
                } else {
                    i++;
                }
            } else if (c == '$' && vars != null) {
                i = expand(text, i, vars, cur);
            } else {
                cur.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    /** Processes one raw word (from {@link #rawWords}): quotes removed, variables expanded. */
    public static String word(String rawWord, UnaryOperator<String> vars) throws SyntaxError {
        return String.join("", split(rawWord, vars));
    }

    /** Splits raw text into words but keeps quotes and escapes (for name=value parsing). */
    public static List<String> rawWords(String text) throws SyntaxError {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (!cur.isEmpty()) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            cur.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (quote != 0) {
            throw new SyntaxError("unterminated " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (!cur.isEmpty()) {
            words.add(cur.toString());
        }
        return words;
    }

    private static int expand(String text, int i, UnaryOperator<String> vars, StringBuilder out) throws SyntaxError {
        int n = text.length();
        if (i + 1 >= n) {
            out.append('$');
            return i + 1;
        }
        char c = text.charAt(i + 1);
        if (c == '{') {
            int end = text.indexOf('}', i + 2);
            if (end < 0) {
                throw new SyntaxError("missing '}' in variable substitution");
            }
            String body = text.substring(i + 2, end);
            String name = body;
            String op = null;
            String word = null;
            int colon = body.indexOf(':');
            if (colon >= 0) {
                name = body.substring(0, colon);
                if (colon + 1 >= body.length() || "-+".indexOf(body.charAt(colon + 1)) < 0) {
                    throw new SyntaxError(
                            "unsupported substitution ${" + body + "} (use ${VAR}, ${VAR:-default} or ${VAR:+alt})");
                }
                op = body.substring(colon + 1, colon + 2);
                word = body.substring(colon + 2);
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new SyntaxError("bad variable name in ${" + body + "}");
            }
            String v = vars.apply(name);
            if ("-".equals(op)) {
                out.append(v == null || v.isEmpty() ? word : v);
            } else if ("+".equals(op)) {
                out.append(v == null || v.isEmpty() ? "" : word);
            } else if (v != null) {
                out.append(v);
            }
            return end + 1;
        }
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            out.append('$');
            return i + 1;
        }
        String v = vars.apply(text.substring(i + 1, j));
        if (v != null) {
            out.append(v);
        }
        return j;
    }
}
