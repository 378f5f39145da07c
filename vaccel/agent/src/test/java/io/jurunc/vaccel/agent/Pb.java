package io.jurunc.vaccel.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal protobuf wire encoder/decoder written from the encoding spec, so the tests that play an
 * upstream client or agent do not lean on the generated classes they check.
 */
final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pb varint(int field, long v) {
        tag(field, 0);
        raw(v);
        return this;
    }

    Pb bytes(int field, byte[] b) {
        tag(field, 2);
        raw(b.length);
        out.writeBytes(b);
        return this;
    }

    Pb string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Pb message(int field, Pb m) {
        return bytes(field, m.build());
    }

    byte[] build() {
        return out.toByteArray();
    }

    private void tag(int field, int wire) {
        raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** One decoded field: number, wire type, varint value or length-delimited bytes. */
    record Field(int number, int wire, long varint, byte[] bytes) {}

    /** Decodes the fields of a message (varint and length-delimited only, as vAccel's messages use). */
    static List<Field> parse(byte[] b) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            long key = readVarint(b, pos);
            int number = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> fields.add(new Field(number, 0, readVarint(b, pos), null));
                case 2 -> {
                    int len = (int) readVarint(b, pos);
                    byte[] v = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len);
                    pos[0] += len;
                    fields.add(new Field(number, 2, 0, v));
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " not expected");
            }
        }
        return fields;
    }

    static List<Field> all(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number).toList();
    }

    static long varintOf(List<Field> fields, int number) {
        return fields.stream()
                .filter(f -> f.number() == number)
                .mapToLong(Field::varint)
                .findFirst()
                .orElse(0);
    }

    static byte[] bytesOf(List<Field> fields, int number) {
        return fields.stream()
                .filter(f -> f.number() == number)
                .map(Field::bytes)
                .findFirst()
                .orElse(new byte[0]);
    }

    private static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
