package io.jurunc.bench.spawn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads jurunc's timestamps log ({@code [timestamps] destination}): one JSON object per line. */
public final class TimestampsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TimestampsFile() {}

    /** The records, or none when jurunc wrote no file (no jurunc subject ran). */
    public static List<PhaseMark> read(Path file) throws BenchInputException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return parse(file.toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new BenchInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<PhaseMark> parse(String name, List<String> lines) throws BenchInputException {
        List<PhaseMark> marks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(lines.get(i));
                JsonNode id = n.get("containerID");
                JsonNode phase = n.get("phase");
                JsonNode time = n.get("time");
                if (id == null || phase == null || time == null || !time.canConvertToLong()) {
                    throw new BenchInputException(
                            name + ":" + (i + 1) + ": a record needs containerID, phase and time (unix nanoseconds)");
                }
                marks.add(new PhaseMark(id.asText(), phase.asText(), time.asLong()));
            } catch (IOException e) {
                throw new BenchInputException(name + ":" + (i + 1) + ": not JSON: " + e.getMessage(), e);
            }
        }
        return List.copyOf(marks);
    }
}
