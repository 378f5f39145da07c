package io.jurunc.builder.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The files the planned layers put into the image so far (base image content is not included). */
public final class ImageTree {
    private final Map<String, FileEntry> entries = new HashMap<>();

    public void add(List<FileEntry> layer) {
        for (FileEntry e : layer) {
            entries.put(e.path(), e);
            String p = FileEntry.parentOf(e.path());
            while (!p.isEmpty() && !entries.containsKey(p)) {
                entries.put(p, FileEntry.directory(p, 0755));
                p = FileEntry.parentOf(p);
            }
        }
    }

    public boolean isDirectory(String path) {
        FileEntry e = entries.get(path);
        return path.isEmpty() || (e != null && e.kind() == FileEntry.Kind.DIRECTORY);
    }

    /** The entry at an absolute or relative image path, following no links. */
    public Optional<FileEntry> get(String path) {
        return Optional.ofNullable(entries.get(ImagePaths.relative(path)));
    }
}
