package io.jurunc.runtime.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import io.jurunc.oci.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON form of the state records: paths as plain strings and an {@link Optional} as its value or
 * null, so that the VM plan ({@code vm.VmSpec}) is persisted as it is, with no mirror record.
 */
final class StateJson {
    private StateJson() {}

    private static final class Holder {
        static final ObjectMapper MAPPER = Json.mapper().copy().registerModule(module());
    }

    static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    private static SimpleModule module() {
        return new SimpleModule("jurunc-state") {
            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addSerializers(SERIALIZERS);
                context.addDeserializers(DESERIALIZERS);
            }
        };
    }

    private static final Serializers SERIALIZERS = new Serializers.Base() {
        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription bean) {
            if (Path.class.isAssignableFrom(type.getRawClass())) return PATH;
            if (type.getRawClass() == Optional.class) return OPTIONAL;
            return null;
        }
    };

    private static final Deserializers DESERIALIZERS = new Deserializers.Base() {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(
                JavaType type, DeserializationConfig config, BeanDescription bean) {
            if (type.getRawClass() == Path.class) return new PathDeserializer();
            if (type.getRawClass() == Optional.class) return new OptionalDeserializer(type.containedType(0));
            return null;
        }
    };

    private static final JsonSerializer<Path> PATH = new JsonSerializer<>() {
        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    };

    private static final JsonSerializer<Optional<?>> OPTIONAL = new JsonSerializer<>() {
        @Override
        public void serialize(Optional<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    };

    private static final class PathDeserializer extends JsonDeserializer<Path> {
        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Path.of(p.getValueAsString());
        }
    }

    private static final class OptionalDeserializer extends JsonDeserializer<Optional<?>> {
        private final JavaType content;

        OptionalDeserializer(JavaType content) {
            this.content = content;
        }

        @Override
        public Optional<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Optional.ofNullable(ctxt.readValue(p, content));
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Optional.empty();
        }
    }
}
