import io.jurunc.guest.GuestKit;
import io.jurunc.guest.GuestProcess;
import io.jurunc.guest.InitramfsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Packs an initramfs with the kit's default or standard kernel flavour (a source-file program for
 * the boot benchmarks; see run-monitor-options.sh).
 *
 * <p>Usage: java -cp CLASSPATH MakeInitrd.java ROOTFS KITDIR default|standard OUT ARGS...
 */
public class MakeInitrd {
  public static void main(String[] a) throws Exception {
    GuestKit kit = a[2].equals("standard")
        ? GuestKit.loadStandard(Path.of(a[1])) : GuestKit.load(Path.of(a[1]));
    List<String> args = List.of(a).subList(4, a.length);
    Files.deleteIfExists(Path.of(a[3]));
    long t0 = System.nanoTime();
    new InitramfsWriter().write(Path.of(a[0]),
        new GuestProcess(args, List.of("PATH=/bin"), "/", 0, 0, List.of(), "bench"), kit,
        Optional.empty(), Path.of(a[3]));
    System.err.printf("MakeInitrd: %s packed in %.1f ms%n", a[3], (System.nanoTime() - t0) / 1e6);
  }
}
