package io.jurunc.vaccel.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.genop.GenopPacker;
import io.jurunc.vaccel.genop.Packed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec plugin against real shared libraries compiled with gcc. */
class ExecPluginTest {
    @TempDir
    static Path libs;

    static Path mytest;
    static Path dep;
    static Path main;
    static Path lazy;
    static Path fpga;

    @BeforeAll
    static void compile() throws Exception {
        mytest = TestLibs.build(libs, "mytestlib");
        dep = TestLibs.build(libs, "libdep");
        main = TestLibs.build(libs, "libmain");
        lazy = TestLibs.build(libs, "liblazy");
        fpga = TestLibs.build(libs, "libfpga");
    }

    private static Vaccel vaccel(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("VACCEL_PLUGINS", "libvaccel-exec.so");
        return Vaccel.bootstrap(VaccelConfig.fromEnvironment(env));
    }

    @Test
    void fpgaOpsRunFromTheConfiguredLibraryTypedAndThroughGenop() {
        try (Vaccel v = vaccel(Map.of("VACCEL_EXEC_FPGA_LIBRARY", fpga.toString()));
                Session s = v.createSession(0)) {
            assertThat(s.fpgaArraycopy(new int[] {4, 5, 6})).containsExactly(4, 5, 6);
            float[] c = new float[2];
            s.fpgaVadd(new float[] {1, 2}, new float[] {10, 20}, c);
            assertThat(c).containsExactly(11f, 22f);
            float[] add = new float[2];
            float[] mul = new float[2];
            s.fpgaParallel(new float[] {2, 3}, new float[] {4, 5}, add, mul);
            assertThat(add).containsExactly(6f, 8f);
            assertThat(mul).containsExactly(8f, 15f);
            // the genop form (leading UINT8 op type), as it arrives from the RPC agent
            Arg out = Arg.output(ArgType.FLOAT32_ARRAY, 8);
            s.genop(
                    List.of(
                            Arg.uint8(io.jurunc.vaccel.OpType.FPGA_VECTORADD.wire()),
                            Arg.float32Array(1, 1),
                            Arg.float32Array(2, 3)),
                    List.of(out));
            assertThat(out.asFloat32Array()).containsExactly(3f, 4f);
            assertThatThrownBy(() -> s.fpgaMmult(new float[] {1}, new float[] {1}, new float[1]))
                    .as("the library has no vaccel_fpga_mmult")
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
        }
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.fpgaArraycopy(new int[] {1}))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP))
                    .hasMessageContaining("VACCEL_EXEC_FPGA_LIBRARY");
        }
    }

    @Test
    void libraryDirsConfineWhatMayBeLoaded() throws Exception {
        Path other = Files.createTempDirectory("exec-other");
        Path copy = Files.copy(mytest, other.resolve("libcopy.so"));
        try (Vaccel v = vaccel(Map.of("VACCEL_EXEC_LIBRARY_DIRS", libs.toString()));
                Session s = v.createSession(0)) {
            Arg out = Arg.output(ArgType.INT32, 4);
            s.exec(mytest.toString(), "mytestfunc", List.of(Arg.int32(4)), List.of(out));
            assertThat(out.asInt32()).isEqualTo(8);
            assertThatThrownBy(() -> s.exec(
                            copy.toString(),
                            "mytestfunc",
                            List.of(Arg.int32(4)),
                            List.of(Arg.output(ArgType.INT32, 4))))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            assertThatThrownBy(() -> s.exec(
                            libs + "/../" + other.getFileName() + "/libcopy.so", "mytestfunc", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            // a library sent as data (as a remote client uploads it) lands in the rundir: refused
            Resource r =
                    v.createResource(ResourceSpec.ofBuffer(Files.readAllBytes(mytest), ResourceType.LIB, "libup.so"));
            s.register(r);
            assertThatThrownBy(() -> s.execWithResource(
                            r, "mytestfunc", List.of(Arg.int32(1)), List.of(Arg.output(ArgType.INT32, 4))))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(other);
        }
        try (Vaccel v = vaccel(Map.of("VACCEL_EXEC_LIBRARY_DIRS", ""));
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.exec(mytest.toString(), "mytestfunc", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
    }

    @Test
    void execCallsTheFunctionWithVaccelsAbi() {
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            assertThat(s.pluginName()).isEqualTo("exec");
            Arg out = Arg.output(ArgType.INT32, 4);
            s.exec(mytest.toString(), "mytestfunc", List.of(Arg.int32(21)), List.of(out));
            assertThat(out.asInt32()).isEqualTo(42);
            Arg sum = Arg.output(ArgType.FLOAT32, 4);
            s.exec(mytest.toString(), "sumfloats", List.of(Arg.float32Array(1.5f, 2.5f, 3f)), List.of(sum));
            assertThat(sum.asFloat32()).isEqualTo(7f);
        }
    }

    @Test
    void structLayoutTypesAndStringsMatchTheCSide() {
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            Arg report = Arg.output(ArgType.INT64_ARRAY, 64);
            Arg text = Arg.output(ArgType.CHAR_ARRAY, 64);
            s.exec(
                    mytest.toString(),
                    "describe",
                    List.of(Arg.custom(77, new byte[] {1, 2, 3}), Arg.string("alpha"), Arg.string("beta")),
                    List.of(report, text));
            long[] r = report.asInt64Array();
            assertThat(r[0]).as("sizeof(struct vaccel_arg)").isEqualTo(NativeDynamicLoader.VACCEL_ARG.byteSize());
            assertThat(r[1]).isEqualTo(8);
            assertThat(r[2]).isEqualTo(16);
            assertThat(r[3]).isEqualTo(20);
            assertThat(r[4]).isEqualTo(3);
            assertThat(r[5]).isEqualTo(ArgType.CUSTOM.wire());
            assertThat(r[6]).isEqualTo(77);
            assertThat(r[7]).isEqualTo(3);
            assertThat(text.asString()).isEqualTo("alpha|beta|");
        }
    }

    @Test
    void failuresMapToVaccelErrors() {
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.exec(mytest.toString(), "fails", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBACKEND))
                    .hasMessageContaining("returned 7");
            assertThatThrownBy(() -> s.exec(mytest.toString(), "no_such_fn", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
            assertThatThrownBy(() -> s.exec(libs.resolve("missing.so").toString(), "f", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELIBBAD))
                    .hasMessageContaining("missing.so");
            assertThatThrownBy(() -> s.classify(new byte[1]))
                    .isInstanceOf(VaccelException.UnsupportedOpException.class);
        }
    }

    @Test
    void dlopenModeIsConfigurable() {
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.exec(lazy.toString(), "ok", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELIBBAD))
                    .hasMessageContaining("jurunc_missing_function");
        }
        try (Vaccel v = vaccel(Map.of("VACCEL_EXEC_DLOPEN_MODE", "lazy"));
                Session s = v.createSession(0)) {
            s.exec(lazy.toString(), "ok", List.of(), List.of());
        }
        assertThatThrownBy(() -> vaccel(Map.of("VACCEL_EXEC_DLOPEN_MODE", "eager")))
                .hasMessageContaining("must be lazy or now");
    }

    @Test
    void execWithResourceLoadsDependenciesFirstAndClosesOnUnregister() throws Exception {
        Recording rec = new Recording(new NativeDynamicLoader());
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("exec"), List.of(new ExecPlugin(rec)));
                Session s = v.createSession(0)) {
            Resource r =
                    v.createResource(ResourceSpec.ofPaths(List.of(dep.toString(), main.toString()), ResourceType.LIB));
            s.register(r);
            for (int i = 1; i <= 3; i++) {
                Arg out = Arg.output(ArgType.INT32, 4);
                s.execWithResource(r, "scaled", List.of(Arg.int32(i)), List.of(out));
                assertThat(out.asInt32()).isEqualTo(10 * i);
            }
            assertThat(rec.events).containsExactly("open libdep.so NOW global", "open libmain.so NOW local");
            s.unregister(r);
            assertThat(rec.events).endsWith("close libmain.so", "close libdep.so");
        }
    }

    @Test
    void execWithResourceFromAnInMemoryBufferAndThroughGenop() throws Exception {
        try (Vaccel v = vaccel(Map.of());
                Session s = v.createSession(0)) {
            Resource r = v.createResource(
                    ResourceSpec.ofBuffer(Files.readAllBytes(mytest), ResourceType.LIB, "libmytest.so"));
            s.register(r);
            Arg out = Arg.output(ArgType.INT32, 4);
            Packed p = GenopPacker.execWithResource(
                    r.id(), new ExecCall(null, "mytestfunc", List.of(Arg.int32(5)), List.of(out)));
            s.genop(p.read(), p.write());
            assertThat(out.asInt32()).isEqualTo(10);
            Arg out2 = Arg.output(ArgType.INT32, 4);
            Packed e = GenopPacker.exec(
                    new ExecCall(mytest.toString(), "mytestfunc", List.of(Arg.int32(8)), List.of(out2)));
            s.genop(e.read(), e.write());
            assertThat(out2.asInt32()).isEqualTo(16);
        }
    }

    @Test
    void dlcloseAfterExecWhenEnabled() {
        Recording rec = new Recording(new NativeDynamicLoader());
        VaccelConfig c = VaccelConfig.of("exec").withEnv(Map.of("VACCEL_EXEC_DLCLOSE", "true"));
        try (Vaccel v = Vaccel.bootstrap(c, List.of(new ExecPlugin(rec)));
                Session s = v.createSession(0)) {
            s.exec(mytest.toString(), "mytestfunc", List.of(Arg.int32(1)), List.of(Arg.output(ArgType.INT32, 4)));
        }
        assertThat(rec.events).containsExactly("open libmytestlib.so NOW local", "close libmytestlib.so");
    }

    /** Records loader calls and forwards them to the real loader. */
    static final class Recording implements DynamicLoader {
        final List<String> events = new CopyOnWriteArrayList<>();
        private final DynamicLoader real;

        Recording(DynamicLoader real) {
            this.real = real;
        }

        @Override
        public Handle open(Path library, Mode mode, boolean global) {
            events.add("open " + library.getFileName() + " " + mode + (global ? " global" : " local"));
            return real.open(library, mode, global);
        }

        @Override
        public ExecFunction symbol(Handle handle, String symbol) {
            return real.symbol(handle, symbol);
        }

        @Override
        public void close(Handle handle) {
            events.add("close " + handle.path().getFileName());
            real.close(handle);
        }
    }
}
