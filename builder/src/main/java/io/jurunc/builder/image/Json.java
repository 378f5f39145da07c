package io.jurunc.builder.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Compact, stable JSON bytes. The bytes written are the bytes hashed: nothing is re-serialised. */
public final class Json {
    private static final class Holder {
        static final ObjectMapper MAPPER =
                new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    private Json() {}

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return Holder.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    public static JsonNode parse(byte[] bytes) throws IOException {
        return Holder.MAPPER.readTree(bytes);
    }
}
