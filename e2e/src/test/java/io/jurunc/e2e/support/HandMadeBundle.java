package io.jurunc.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle made by hand for driving the CLI directly: {@code rootfs/} with the host's static
 * busybox and a {@code config.json} shaped like {@code runc spec}'s, with the given annotations.
 */
public final class HandMadeBundle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HandMadeBundle() {}

    public static Path write(Path dir, Map<String, String> annotations, List<String> args) {
        return write(dir, annotations, args, null);
    }

    /** As {@link #write(Path, Map, List)}, with the network namespace given by path (null: a new one). */
    public static Path write(Path dir, Map<String, String> annotations, List<String> args, Path netns) {
        try {
            Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
            Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(TestImages.BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(
                    dir.resolve("config.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(annotations, args, netns)));
            return dir;
        } catch (IOException e) {
            throw new HarnessException("cannot write bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode config(Map<String, String> annotations, List<String> args, Path netns) {
        ObjectNode c = JSON.createObjectNode();
        c.put("ociVersion", "1.0.2");
        ObjectNode process = c.putObject("process");
        process.put("terminal", false);
        process.putObject("user").put("uid", 0).put("gid", 0);
        ArrayNode a = process.putArray("args");
        args.forEach(a::add);
        process.putArray("env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        process.put("cwd", "/");
        c.putObject("root").put("path", "rootfs").put("readonly", false);
        c.put("hostname", "e2e");
        ObjectNode ann = c.putObject("annotations");
        annotations.forEach(ann::put);
        ObjectNode linux = c.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String t : List.of("pid", "network", "ipc", "uts", "mount")) {
            ObjectNode n = ns.addObject().put("type", t);
            if (t.equals("network") && netns != null) {
                n.put("path", netns.toString());
            }
        }
        return c;
    }
}
