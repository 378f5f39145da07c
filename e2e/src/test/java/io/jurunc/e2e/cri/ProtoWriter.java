package io.jurunc.e2e.cri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Protobuf wire encoding of the few CRI messages the test sends, by field number (from the public
 * {@code runtime.v1} API), so that the e2e module needs no generated code.
 */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ProtoWriter message() {
        return new ProtoWriter();
    }

    ProtoWriter string(int field, String value) {
        if (!value.isEmpty()) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    ProtoWriter strings(int field, Iterable<String> values) {
        for (String v : values) {
            bytes(field, v.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    ProtoWriter message(int field, ProtoWriter nested) {
        return bytes(field, nested.toByteArray());
    }

    ProtoWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, 0);
            writeVarint(value);
        }
        return this;
    }

    ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    /** {@code map<string,string>}: repeated entries {key = 1, value = 2}. */
    ProtoWriter map(int field, Map<String, String> entries) {
        entries.forEach((k, v) -> message(field, message().string(1, k).string(2, v)));
        return this;
    }

    private ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        writeVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    private void tag(int field, int wireType) {
        writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
