package io.jurunc.e2e.cri;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes a protobuf message into field number &rarr; values (Long for varints, byte[] for the rest). */
final class ProtoReader {
    private final Map<Integer, List<Object>> fields;

    private ProtoReader(Map<Integer, List<Object>> fields) {
        this.fields = fields;
    }

    static ProtoReader parse(byte[] data) {
        Map<Integer, List<Object>> fields = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long tag = varint(data, pos);
            int field = (int) (tag >>> 3);
            Object value = switch ((int) (tag & 7)) {
                case 0 -> varint(data, pos);
                case 1 -> skip(data, pos, 8);
                case 2 -> skip(data, pos, (int) varint(data, pos));
                case 5 -> skip(data, pos, 4);
                default -> throw new IllegalArgumentException("unsupported wire type in tag " + tag);
            };
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
        }
        return new ProtoReader(fields);
    }

    String string(int field) {
        List<Object> v = fields.get(field);
        return v == null ? "" : new String((byte[]) v.getLast(), StandardCharsets.UTF_8);
    }

    long varint(int field) {
        List<Object> v = fields.get(field);
        return v == null ? 0 : (Long) v.getLast();
    }

    ProtoReader message(int field) {
        List<Object> v = fields.get(field);
        return parse(v == null ? new byte[0] : (byte[]) v.getLast());
    }

    private static long varint(byte[] d, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = d[pos[0]++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    private static byte[] skip(byte[] d, int[] pos, int n) {
        byte[] out = java.util.Arrays.copyOfRange(d, pos[0], pos[0] + n);
        pos[0] += n;
        return out;
    }
}
