package io.jurunc.bench.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code samples.tsv}: a header line, then one tab-separated {@link Sample} per line. */
public final class SamplesFile {
    static final String HEADER = "subject\trun\tid\tt0_ns\tt1_ns\tsandbox_pss_kb\tshim_pss_kb\tqemu_rss_kb"
            + "\tqemu_guest_ram_rss_kb\tqemu_tcg_rss_kb\tstatus";

    private SamplesFile() {}

    public static List<Sample> read(Path file) throws BenchInputException {
        try {
            return parse(file.toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new BenchInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Sample> parse(String name, List<String> lines) throws BenchInputException {
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new BenchInputException(name + ": the first line must be the header '" + HEADER
                    + "' (a samples.tsv written by scripts/bench-spawn.sh)");
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 11) {
                throw new BenchInputException(
                        name + ":" + (i + 1) + ": expected 11 tab-separated fields, found " + f.length);
            }
            try {
                samples.add(new Sample(
                        f[0],
                        Integer.parseInt(f[1]),
                        f[2],
                        Long.parseLong(f[3]),
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        Long.parseLong(f[6]),
                        Long.parseLong(f[7]),
                        Long.parseLong(f[8]),
                        Long.parseLong(f[9]),
                        f[10]));
            } catch (IllegalArgumentException e) {
                throw new BenchInputException(name + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(samples);
    }
}
