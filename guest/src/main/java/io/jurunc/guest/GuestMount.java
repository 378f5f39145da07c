package io.jurunc.guest;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One mount the guest init makes before it starts the application (docs/guest.md, "Mounts"), or,
 * as a {@link GuestLayout#root()}, the root it switches to.
 *
 * <ul>
 *   <li>{@link Type#NINEP}: the virtio-9p share whose mount tag is {@code source}, at {@code
 *       destination} (a directory, created when missing);
 *   <li>{@link Type#FILE}: the file {@code NAME} of the 9p share {@code TAG}, {@code source} =
 *       {@code TAG/NAME}, bind-mounted on {@code destination} (a file, created when missing): 9p
 *       shares directories, so a host file travels in a directory of its own;
 *   <li>{@link Type#TMPFS}: a tmpfs with the options {@code data} (e.g. {@code size=64m,mode=1777});
 *   <li>{@link Type#BLOCK}: a block device {@code source} (e.g. {@code /dev/vda}) with the
 *       filesystem type {@code data} (empty: ext4, then erofs) — as a root only.
 * </ul>
 *
 * @param flags a subset of {@link #FLAGS}: {@code ro}, {@code nosuid}, {@code nodev}, {@code noexec}
 * @param data filesystem options or type; never holds a newline
 */
public record GuestMount(Type type, String source, String destination, List<String> flags, String data) {
    /** The mount flags the init understands. */
    public static final Set<String> FLAGS = Set.of("ro", "nosuid", "nodev", "noexec");

    /** The kind of mount, with its name in the process file. */
    public enum Type {
        NINEP("9p"),
        FILE("file"),
        TMPFS("tmpfs"),
        BLOCK("block");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public GuestMount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        flags = List.copyOf(Objects.requireNonNull(flags, "flags"));
        data = data == null ? "" : data;
        for (String f : flags) {
            if (!FLAGS.contains(f)) throw new IllegalArgumentException("unknown mount flag '" + f + "'");
        }
        for (String s : List.of(source, destination, data)) {
            if (s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a guest mount cannot carry a newline or NUL: '" + s + "'");
            }
        }
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("guest mount destination '" + destination + "' is not absolute");
        }
        if (type == Type.FILE && source.indexOf('/') <= 0) {
            throw new IllegalArgumentException("a file mount's source is TAG/NAME, got '" + source + "'");
        }
    }

    public boolean readOnly() {
        return flags.contains("ro");
    }

    /** The process-file value: type, source, destination, comma-separated flags, data; newline-separated. */
    String encode() {
        return type.word() + "\n" + source + "\n" + destination + "\n" + String.join(",", flags) + "\n" + data;
    }
}
