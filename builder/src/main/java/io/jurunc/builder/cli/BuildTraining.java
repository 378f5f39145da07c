package io.jurunc.builder.cli;

import io.jurunc.builder.image.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

/**
 * The AOT-cache training run for {@code jurunc build}: builds small images the way users do
 * (Containerfile and bunnyfile, plain and gzipped layers across several compression blocks, OCI
 * layout, OCI archive and docker-archive outputs, one failing build), so that the classes, FFM
 * bindings and lambda forms of a build are in the cache. Run by {@code scripts/bench-build.sh} and
 * meant for the distribution's training ({@code java -XX:AOTCacheOutput=... BuildTraining}, or
 * {@link #run} from another training main).
 */
public final class BuildTraining {
    private BuildTraining() {}

    public static void main(String[] args) throws IOException {
        run();
    }

    /** Runs the training builds in a temporary directory, which is removed afterwards. */
    public static void run() throws IOException {
        Path tmp = Files.createTempDirectory("jurunc-build-train");
        try {
            Path ctx = Files.createDirectories(tmp.resolve("ctx"));
            Random r = new Random(1);
            Files.createDirectories(ctx.resolve("data/sub"));
            byte[] random = new byte[(3 << 20) / 2];
            r.nextBytes(random);
            Files.write(ctx.resolve("data/random.bin"), random);
            Files.write(
                    ctx.resolve("data/sub/text.txt"), Base64.getMimeEncoder().encode(random));
            StringBuilder words = new StringBuilder();
            while (words.length() < (3 << 20) / 2) {
                words.append("line ").append(r.nextInt(1000)).append(" of compressible text\n");
            }
            Files.writeString(ctx.resolve("data/words.txt"), words);
            byte[] kernel = new byte[4096];
            kernel[0] = 0x7f;
            kernel[1] = 'E';
            kernel[2] = 'L';
            kernel[3] = 'F';
            kernel[4] = 2;
            kernel[5] = 1;
            kernel[18] = 62;
            Files.write(ctx.resolve("kernel"), kernel);
            Files.writeString(ctx.resolve("Containerfile"), """
                    FROM scratch
                    ARG V=1
                    COPY data /data
                    COPY kernel /.boot/kernel
                    LABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu \\
                          com.urunc.unikernel.binary=/.boot/kernel version=$V
                    ENV PORT=8080
                    EXPOSE 8080
                    WORKDIR /data
                    CMD ["/bin/sh", "-c", "echo hi"]
                    """);
            Files.writeString(ctx.resolve("bunnyfile"), """
                    #syntax=harbor.nbfc.io/nubificus/bunny:latest
                    version: v0.1
                    platforms:
                      framework: unikraft
                      monitor: qemu
                      architecture: x86
                    kernel:
                      from: local
                      path: kernel
                    rootfs:
                      from: scratch
                      type: initrd
                      include:
                        - data/words.txt:/words.txt
                    cmd: ["hello"]
                    """);
            Path out = tmp.resolve("out");
            build(
                    ctx,
                    "--timings",
                    "--compression-level",
                    "1",
                    "-o",
                    "oci:" + out.resolve("layout"),
                    "-o",
                    "oci-archive:" + out.resolve("oci.tar"),
                    "-o",
                    "docker-archive:" + out.resolve("docker.tar"));
            build(ctx, "--timings", "--compression-level", "0", "-o", "oci:" + out.resolve("layout"));
            build(ctx, "-f", ctx.resolve("bunnyfile").toString(), "-o", "oci:" + out.resolve("bunny"));
            build(ctx, "-f", ctx.resolve("missing").toString(), "-o", "oci:" + out.resolve("never"));
        } finally {
            FileTrees.deleteQuietly(tmp);
        }
    }

    private static void build(Path ctx, String... flags) {
        String[] args = new String[flags.length + 3];
        System.arraycopy(flags, 0, args, 0, flags.length);
        args[flags.length] = "-t";
        args[flags.length + 1] = "train/build:1";
        args[flags.length + 2] = ctx.toString();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        BuildCommand.execute(new BuildCommand(), args, System.getenv(), sink, sink);
    }
}
