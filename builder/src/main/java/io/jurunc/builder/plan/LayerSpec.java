package io.jurunc.builder.plan;

import java.util.List;

/** The files of one layer and the history line that made it. */
public record LayerSpec(List<FileEntry> entries, String createdBy) {
    public LayerSpec {
        entries = List.copyOf(entries);
    }
}
