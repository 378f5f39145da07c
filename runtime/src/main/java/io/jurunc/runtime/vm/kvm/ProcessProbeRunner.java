package io.jurunc.runtime.vm.kvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the probe as a child process, output to a scratch file, killed (SIGKILL) on timeout. */
public final class ProcessProbeRunner implements ProbeRunner {
  static final int OUTPUT_LIMIT = 1024;

  private final Path scratchDir;

  public ProcessProbeRunner(Path scratchDir) {
    this.scratchDir = scratchDir;
  }

  @Override
  public Outcome run(List<String> argv, Duration timeout) throws IOException {
    Files.createDirectories(scratchDir);
    Path out = Files.createTempFile(scratchDir, "kvm-probe", ".out");
    long start = System.nanoTime();
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      boolean exited;
      try {
        exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
          p.destroyForcibly();
          p.waitFor();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while probing KVM", e);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      return new Outcome(!exited, exited ? p.exitValue() : -1, head(out), elapsed);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(OUTPUT_LIMIT), StandardCharsets.UTF_8).strip();
    }
  }
}
