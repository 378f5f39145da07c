package io.jurunc.builder.bunnyfile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML tree that remembers each node's line, so that errors can say FILE:LINE. */
public sealed interface YamlNode {
    int line();

    record Scalar(int line, String value) implements YamlNode {}

    record Mapping(int line, Map<String, YamlNode> entries, Map<String, Integer> keyLines) implements YamlNode {}

    record Sequence(int line, List<YamlNode> items) implements YamlNode {}

    /** Parses one YAML document; null for an empty document. Throws IOException with a location on bad YAML. */
    static YamlNode parse(String text) throws IOException {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return read(p);
        }
    }

    private static YamlNode read(JsonParser p) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, YamlNode> m = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                lines.put(k, p.currentTokenLocation().getLineNr());
                p.nextToken();
                m.put(k, read(p));
            }
            return new Mapping(line, m, lines);
        }
        if (t == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p));
            }
            return new Sequence(line, items);
        }
        return new Scalar(line, t == JsonToken.VALUE_NULL ? null : p.getText());
    }
}
