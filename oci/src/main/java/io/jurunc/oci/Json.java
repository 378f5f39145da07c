package io.jurunc.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes spec records. The mapper is built lazily on first use. */
public final class Json {
    private Json() {}

    private static final class Holder {
        static final ObjectMapper MAPPER =
                new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /** Loads {@code <bundle>/config.json}, with an error that names the file and the problem. */
    public static Spec loadSpec(Path bundle) throws SpecException {
        Path file = bundle.resolve("config.json");
        try {
            Spec spec = mapper().readValue(Files.readAllBytes(file), Spec.class);
            if (spec == null) {
                throw new SpecException(file + ": empty config.json");
            }
            return spec;
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such file (is --bundle the bundle directory?)", e);
        } catch (JsonProcessingException e) {
            throw new SpecException(
                    file + ": malformed JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
