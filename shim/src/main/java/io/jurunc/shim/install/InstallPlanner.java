package io.jurunc.shim.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Works out what {@code jurunc install containerd} (or {@code --uninstall}) has to change: nothing when
 * the host is already in the wanted state, so running it twice is harmless.
 *
 * @param config   containerd's config.toml
 * @param dropIn   write the runtime block into this file instead (it must be imported by config.toml)
 * @param shimLink where the shim must be found on containerd's PATH
 * @param shimSource the launcher shipped with jurunc; absent on uninstall
 */
public record InstallPlanner(
        Path config, Optional<Path> dropIn, String handler, Path shimLink, Optional<Path> shimSource) {

    public List<InstallAction> install() throws InstallException {
        List<InstallAction> actions = new ArrayList<>();
        Path source = shimSource.orElseThrow(() -> new InstallException(
                "no shim launcher to install: pass --shim PATH (the containerd-shim-jurunc-v2 shipped with jurunc)"));
        if (!Files.isRegularFile(source)) {
            throw new InstallException("shim launcher " + source + " does not exist");
        }
        Path target = source.toAbsolutePath();
        if (!target.equals(shimLink.toAbsolutePath()) && !linksTo(shimLink, target)) {
            if (Files.exists(shimLink, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(shimLink)) {
                throw new InstallException(shimLink + " exists and is not a link to jurunc's shim; remove it first");
            }
            actions.add(new InstallAction.LinkShim(shimLink, target));
        }
        if (!Files.isExecutable(target)) {
            actions.add(new InstallAction.MakeExecutable(target));
        }
        String current = read(config);
        int version = ContainerdRuntimeConfig.declaredVersion(current);
        ContainerdRuntimeConfig runtime = new ContainerdRuntimeConfig(handler, version);
        if (dropIn.isPresent()) {
            Path file = dropIn.get();
            if (!importsDropIn(current, file)) {
                throw new InstallException(config + " does not import " + file + "; add it to `imports = [...]` "
                        + "at the top of " + config + ", or leave out --drop-in to edit " + config + " itself");
            }
            String wanted = "version = " + version + "\n\n" + runtime.block(!runtime.definesRunc(current));
            if (!wanted.equals(read(file))) {
                actions.add(new InstallAction.WriteFile(file, wanted, "jurunc runtime drop-in"));
            }
        } else {
            String wanted = current.isEmpty() ? "version = 2\n\n" + runtime.block(true) : runtime.installInto(current);
            if (!wanted.equals(current)) {
                actions.add(new InstallAction.WriteFile(config, wanted, "jurunc runtime block"));
            }
        }
        return actions;
    }

    public List<InstallAction> uninstall() throws InstallException {
        List<InstallAction> actions = new ArrayList<>();
        if (Files.isSymbolicLink(shimLink)) {
            actions.add(new InstallAction.DeleteFile(shimLink, "jurunc shim link"));
        }
        if (dropIn.isPresent() && Files.exists(dropIn.get())) {
            actions.add(new InstallAction.DeleteFile(dropIn.get(), "jurunc runtime drop-in"));
        }
        String current = read(config);
        String without = ContainerdRuntimeConfig.removeFrom(current);
        if (!without.equals(current)) {
            actions.add(new InstallAction.WriteFile(config, without, "without the jurunc runtime block"));
        }
        return actions;
    }

    private static boolean linksTo(Path link, Path target) {
        try {
            return Files.isSymbolicLink(link)
                    && Files.readSymbolicLink(link).toAbsolutePath().equals(target);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean importsDropIn(String toml, Path file) {
        for (String line : toml.split("\n")) {
            String l = line.strip();
            if (l.startsWith("imports")) {
                String dir = file.toAbsolutePath().getParent().toString();
                return l.contains("\"" + file.toAbsolutePath() + "\"")
                        || l.contains("\"" + dir + "/*.toml\"")
                        || l.contains("\"" + dir + "/*\"");
            }
        }
        return false;
    }

    private static String read(Path file) throws InstallException {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new InstallException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
