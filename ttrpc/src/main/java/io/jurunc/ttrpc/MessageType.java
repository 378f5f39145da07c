package io.jurunc.ttrpc;

import java.util.Optional;

/** ttrpc frame types (header byte 8). */
public enum MessageType {
    REQUEST((byte) 0x01),
    RESPONSE((byte) 0x02),
    DATA((byte) 0x03);

    private final byte code;

    MessageType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    /** The type for a header byte, empty for types this implementation does not know. */
    public static Optional<MessageType> fromCode(byte code) {
        return switch (code) {
            case 0x01 -> Optional.of(REQUEST);
            case 0x02 -> Optional.of(RESPONSE);
            case 0x03 -> Optional.of(DATA);
            default -> Optional.empty();
        };
    }
}
