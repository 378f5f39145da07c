package io.jurunc.shim.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** One change to the host; {@link #describe()} is what {@code --dry-run} prints. */
public sealed interface InstallAction {
    String describe();

    void apply() throws IOException;

    /** Writes a whole file (atomically: temp file in the same directory, then rename). */
    record WriteFile(Path path, String content, String why) implements InstallAction {
        @Override
        public String describe() {
            return "write " + path + " (" + why + "):\n" + content.indent(4);
        }

        @Override
        public void apply() throws IOException {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = path.resolveSibling("." + path.getFileName() + ".jurunc-tmp");
            Files.writeString(tmp, content);
            Files.move(
                    tmp,
                    path,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    record DeleteFile(Path path, String why) implements InstallAction {
        @Override
        public String describe() {
            return "remove " + path + " (" + why + ")";
        }

        @Override
        public void apply() throws IOException {
            Files.deleteIfExists(path);
        }
    }

    /** Installs the shim launcher: a symbolic link on PATH to the launcher shipped with jurunc. */
    record LinkShim(Path link, Path target) implements InstallAction {
        @Override
        public String describe() {
            return "link " + link + " -> " + target;
        }

        @Override
        public void apply() throws IOException {
            Files.createDirectories(link.toAbsolutePath().getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
        }
    }

    /** Makes a launcher executable (used when the source lost its mode, e.g. unpacked from a zip). */
    record MakeExecutable(Path path) implements InstallAction {
        @Override
        public String describe() {
            return "chmod 755 " + path;
        }

        @Override
        public void apply() throws IOException {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
