package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference builder for the test images made with umoci, used to cross-check the project's own
 * builder (JuruncImageBuilder) and to exercise the harness before it existed. It understands
 * only what the Containerfiles under {@code e2e/images} use: {@code FROM scratch}, {@code COPY src dst},
 * {@code LABEL k=v}, {@code ENV k=v}, {@code EXPOSE} (ignored) and {@code CMD [json]}. Like bima, it
 * writes the {@code com.urunc.unikernel.*} labels into {@code /urunc.json} (base64 values) in the rootfs.
 * It makes OCI archives only.
 */
public final class UmociImageBuilder implements ImageBuilder {

    private final Host host;

    public UmociImageBuilder(Host host) {
        this.host = host;
    }

    @Override
    public void build(Path context, String reference, Format format, Path out) {
        if (format != Format.OCI_ARCHIVE) {
            throw new HarnessException("the umoci reference builder makes OCI archives only, not " + format);
        }
        try {
            Path work = Files.createTempDirectory("jurunc-e2e-umoci-");
            try {
                build(context, work, out);
            } finally {
                FileTrees.deleteRecursively(work);
            }
        } catch (IOException e) {
            throw new HarnessException("umoci build of " + context + " failed: " + e.getMessage(), e);
        }
    }

    private void build(Path context, Path work, Path out) throws IOException {
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        String image = layout + ":latest";
        host.run(Command.of("umoci", "init", "--layout", layout.toString())).requireSuccess();
        host.run(Command.of("umoci", "new", "--image", image)).requireSuccess();
        host.run(Command.of("umoci", "unpack", "--image", image, bundle.toString()))
                .requireSuccess();
        Path rootfs = bundle.resolve("rootfs");
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> config = new ArrayList<>();
        for (String raw : Files.readAllLines(context.resolve("Containerfile"), StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kw = line.split("\\s+", 2);
            String rest = kw.length > 1 ? kw[1].strip() : "";
            switch (kw[0].toUpperCase()) {
                case "FROM" -> {
                    if (!rest.equals("scratch")) {
                        throw new HarnessException("umoci reference builder: only FROM scratch, not " + rest);
                    }
                }
                case "COPY" -> {
                    String[] sd = rest.split("\\s+");
                    Path dst = rootfs.resolve(sd[1].replaceFirst("^/", ""));
                    host.run(Command.of("mkdir", "-p", (sd[1].endsWith("/") ? dst : dst.getParent()).toString()))
                            .requireSuccess();
                    String src = context.resolve(sd[0]) + (sd[0].endsWith("/") ? "/." : "");
                    host.run(Command.of("cp", "-a", src, dst.toString())).requireSuccess();
                }
                case "LABEL" -> {
                    String[] kv = rest.split("=", 2);
                    labels.put(kv[0], kv[1]);
                    config.add("--config.label=" + rest);
                }
                case "ENV" -> config.add("--config.env=" + rest);
                case "CMD" -> {
                    for (String arg : jsonArray(rest)) {
                        config.add("--config.cmd=" + arg);
                    }
                }
                case "EXPOSE" -> config.add("--config.exposedports=" + rest + "/tcp");
                default -> throw new HarnessException("umoci reference builder: unsupported " + kw[0]);
            }
        }
        StringBuilder urunc = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (k.startsWith("com.urunc.unikernel.")) {
                urunc.append(urunc.length() > 1 ? "," : "")
                        .append('"')
                        .append(k)
                        .append("\":\"")
                        .append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))
                        .append('"');
            }
        });
        if (urunc.length() > 1) {
            Files.writeString(rootfs.resolve("urunc.json"), urunc.append('}').toString());
        }
        host.run(Command.of("umoci", "repack", "--image", image, bundle.toString()))
                .requireSuccess();
        List<String> cfg = new ArrayList<>(List.of("umoci", "config", "--image", image));
        cfg.addAll(config);
        host.run(Command.of(cfg)).requireSuccess();
        host.run(Command.of("tar", "-C", layout.toString(), "-cf", out.toString(), "."))
                .requireSuccess();
    }

    /** A JSON array of plain strings (no escapes beyond \" and \\), as the test Containerfiles use. */
    static List<String> jsonArray(String text) {
        String t = text.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new HarnessException("CMD must be a JSON array: " + text);
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (cur == null) {
                if (c == '"') {
                    cur = new StringBuilder();
                }
            } else if (c == '\\') {
                cur.append(t.charAt(++i));
            } else if (c == '"') {
                out.add(cur.toString());
                cur = null;
            } else {
                cur.append(c);
            }
        }
        return out;
    }
}
