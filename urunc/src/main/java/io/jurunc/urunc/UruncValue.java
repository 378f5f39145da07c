package io.jurunc.urunc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Encodes and decodes metadata values. {@link #encode} writes the form of {@code urunc.json}
 * (standard, padded base64 of the UTF-8 text). {@link #decode} reads one value, from the annotations or from {@code urunc.json}, with newer urunc's
 * rules: a value that starts with {@code b64:} is base64 (it must decode to UTF-8 text); a bare value
 * that is canonical, padded base64 and decodes to printable UTF-8 text is legacy base64 and is
 * decoded; anything else is plain text. A {@code b64:} value that does not decode, or any value with
 * control characters, is an error naming the key.
 *
 * <p>Why the bare rule is safe for plain values: a path starts with {@code /} (decodes to a byte
 * {@code >= 0xFC}, never UTF-8), and the plain words urunc uses ({@code qemu}, {@code unikraft},
 * {@code true}, ...) decode to stray continuation bytes.
 */
public final class UruncValue {
    public static final String B64_PREFIX = "b64:";
    /** No metadata value needs more; a longer one is refused (urunc caps values at 4096 bytes). */
    public static final int MAX_LENGTH = 4096;

    private static final Pattern CANONICAL_BASE64 =
            Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private UruncValue() {}

    /** The {@code urunc.json} form of a value: standard, padded base64 of its UTF-8 bytes. */
    public static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded value of {@code key}. */
    public static String decode(String key, String value) throws UruncValueException {
        if (value.length() > MAX_LENGTH * 2) {
            throw new UruncValueException(key, "is longer than " + MAX_LENGTH + " bytes", "shorten the value");
        }
        String decoded;
        if (value.startsWith(B64_PREFIX)) {
            String body = value.substring(B64_PREFIX.length());
            decoded = strictBase64(body)
                    .orElseThrow(
                            () -> new UruncValueException(
                                    key,
                                    "has the b64: prefix but is not valid base64 of UTF-8 text",
                                    "encode the value with base64 (padded, standard alphabet) or drop the prefix for plain text"));
        } else {
            decoded = strictBase64(value).filter(UruncValue::printable).orElse(value);
        }
        if (!printable(decoded)) {
            throw new UruncValueException(key, "contains control characters", "metadata values are one line of text");
        }
        if (decoded.length() > MAX_LENGTH) {
            throw new UruncValueException(key, "is longer than " + MAX_LENGTH + " bytes", "shorten the value");
        }
        return decoded;
    }

    /** The UTF-8 text that canonical padded base64 {@code s} encodes, if it is that. */
    static Optional<String> strictBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0 || !CANONICAL_BASE64.matcher(s).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean printable(String s) {
        return s.codePoints().noneMatch(Character::isISOControl);
    }
}
