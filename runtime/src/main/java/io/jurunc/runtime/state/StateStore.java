package io.jurunc.runtime.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The per-container state directories under {@code --root}. jurunc's record is {@code jurunc.json};
 * runc keeps {@code state.json} in the same layout, so the presence of our file is what tells a
 * jurunc container from a runc one. Container directories are 0700 and files 0600: they hold the
 * container's environment. {@code --root} itself is created 0700 when missing (runc's default).
 */
public final class StateStore {
    public static final String RECORD = "jurunc.json";
    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(ContainerId id) {
        return root.resolve(id.value());
    }

    public boolean exists(ContainerId id) {
        return Files.isRegularFile(dir(id).resolve(RECORD));
    }

    /** Creates the container's directory; fails if a container of that id exists (ours or runc's). */
    public Path createDir(ContainerId id) throws StateException {
        Path d = dir(id);
        try {
            if (!Files.isDirectory(root)) Files.createDirectories(root, PrivateFiles.dirMode());
            Files.createDirectory(d, PrivateFiles.dirMode());
            Files.setPosixFilePermissions(d, PrivateFiles.DIR); // the umask may have narrowed it; never widened
            return d;
        } catch (FileAlreadyExistsException e) {
            throw new StateException("container '" + id + "' already exists (" + d + ")");
        } catch (IOException e) {
            throw new StateException("cannot create state directory " + d + ": " + e.getMessage(), e);
        }
    }

    public void save(ContainerRecord record) throws StateException {
        Path d = root.resolve(record.id());
        try {
            PrivateFiles.writeAtomically(
                    d.resolve(RECORD), StateJson.mapper().writeValueAsBytes(record), PrivateFiles.FILE);
        } catch (IOException e) {
            throw new StateException("cannot write state of " + record.id() + ": " + e.getMessage(), e);
        }
    }

    public ContainerRecord load(ContainerId id) throws ContainerNotFoundException, StateException {
        Path f = dir(id).resolve(RECORD);
        try {
            return StateJson.mapper().readValue(Files.readAllBytes(f), ContainerRecord.class);
        } catch (NoSuchFileException e) {
            throw new ContainerNotFoundException(id.value());
        } catch (JsonProcessingException e) {
            throw new StateException(f + " is corrupt: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StateException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public List<ContainerId> list() throws StateException {
        List<ContainerId> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) return ids;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(RECORD)))
                    ids.add(new ContainerId(p.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new StateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        ids.sort(Comparator.comparing(ContainerId::value));
        return ids;
    }

    /** Removes the container's directory and everything in it. */
    public void remove(ContainerId id) throws StateException {
        Path d = dir(id);
        if (!Files.exists(d)) return;
        try (Stream<Path> walk = Files.walk(d)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StateException("cannot remove " + d + ": " + e.getMessage(), e);
        }
    }
}
