package io.jurunc.builder.layer;

import io.jurunc.builder.plan.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Normalises a list of entries for an archive: later entries replace earlier ones at the same path,
 * missing parent directories are added (mode 0755, root-owned), and the result is sorted by path so
 * that every parent precedes its children.
 */
public final class EntryTree {
    private EntryTree() {}

    public static List<FileEntry> normalise(List<FileEntry> entries) {
        TreeMap<String, FileEntry> byPath = new TreeMap<>(EntryTree::compare);
        for (FileEntry e : entries) {
            byPath.put(e.path(), e);
        }
        for (FileEntry e : List.copyOf(byPath.values())) {
            String parent = FileEntry.parentOf(e.path());
            while (!parent.isEmpty() && !byPath.containsKey(parent)) {
                byPath.put(parent, FileEntry.directory(parent, 0755));
                parent = FileEntry.parentOf(parent);
            }
        }
        return new ArrayList<>(byPath.values());
    }

    /** Orders paths component by component, so {@code a/b} sorts right after {@code a}. */
    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i) == '/' ? '\0' : a.charAt(i);
            char y = b.charAt(i) == '/' ? '\0' : b.charAt(i);
            if (x != y) {
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
