package io.jurunc.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * Makes a file the monitor must open accessible to its unprivileged user. A file "other" can
 * already read (and, for block images, write) is left alone; otherwise it is given to the monitor's
 * user (owner read, plus write when asked). Symlinks and files with more than one link are refused:
 * the ownership change must not reach anything outside the sandbox's own files.
 */
public final class FileGrant {
    private FileGrant() {}

    public static void grant(Path file, boolean write, MonitorUser user) throws SandboxSetupException {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,nlink", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            if ((mode & 0170000) != 0100000) {
                throw new SandboxSetupException(file + " is not a regular file; the monitor only opens regular files");
            }
            int uid = (Integer) a.get("uid");
            boolean other = (mode & 04) != 0 && (!write || (mode & 02) != 0);
            boolean owner = uid == user.uid() && (mode & 0400) != 0 && (!write || (mode & 0200) != 0);
            if (other || owner) return;
            if ((Integer) a.get("nlink") != 1) {
                throw new SandboxSetupException(file + " has several hard links and the monitor's user (uid "
                        + user.uid() + ") cannot " + (write ? "write" : "read") + " it; make it "
                        + (write ? "o+rw" : "o+r") + " or a single link");
            }
            Files.setAttribute(file, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            perms.add(PosixFilePermission.OWNER_READ);
            if (write) perms.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(file, perms);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SandboxSetupException(
                    "cannot give " + file + " to the monitor's user (uid " + user.uid() + "): " + e.getMessage(), e);
        }
    }
}
