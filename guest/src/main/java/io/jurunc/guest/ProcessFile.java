package io.jurunc.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The on-disk form of a {@link GuestProcess} that the guest init reads from {@code
 * /jurunc/process}: NUL-terminated UTF-8 strings, the magic {@value #MAGIC} followed by (tag,
 * value) pairs. Tags: {@code arg} (repeated, in order), {@code env} (repeated), {@code cwd}, {@code
 * uid}, {@code gid}, {@code group} (repeated), {@code hostname}, then the {@link GuestLayout}: {@code
 * root} (at most one) and {@code mount} (repeated, in order), each a {@link GuestMount} as five
 * newline-separated fields (type, source, destination, flags, data). guest/src/main/c/init.c
 * parses it.
 */
public final class ProcessFile {
    /** The first string of every process file. */
    public static final String MAGIC = "JURUNC-PROCESS-1";

    private ProcessFile() {}

    /** Encodes a process description. */
    public static byte[] encode(GuestProcess p) {
        return encode(p, GuestLayout.NONE);
    }

    /** Encodes a process description and the guest's root and mounts. */
    public static byte[] encode(GuestProcess p, GuestLayout layout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        put(out, MAGIC);
        for (String a : p.args()) {
            pair(out, "arg", a);
        }
        for (String e : p.env()) {
            pair(out, "env", e);
        }
        pair(out, "cwd", p.cwd());
        pair(out, "uid", Integer.toString(p.uid()));
        pair(out, "gid", Integer.toString(p.gid()));
        for (int g : p.additionalGids()) {
            pair(out, "group", Integer.toString(g));
        }
        if (!p.hostname().isEmpty()) {
            pair(out, "hostname", p.hostname());
        }
        layout.root().ifPresent(r -> pair(out, "root", r.encode()));
        for (GuestMount m : layout.mounts()) {
            pair(out, "mount", m.encode());
        }
        return out.toByteArray();
    }

    private static void pair(ByteArrayOutputStream out, String tag, String value) {
        put(out, tag);
        put(out, value);
    }

    private static void put(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
