package io.jurunc.vaccel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginSelectionTest {
    private final RecordingPlugin noop =
            new RecordingPlugin("noop", PluginType.DEBUG, false, EnumSet.allOf(OpType.class));
    private final RecordingPlugin exec = new RecordingPlugin(
            "exec",
            PluginType.SOFTWARE | PluginType.GENERIC | PluginType.CPU,
            false,
            EnumSet.of(OpType.NOOP, OpType.EXEC, OpType.EXEC_WITH_RESOURCE));
    private final RecordingPlugin rpc =
            new RecordingPlugin("rpc", PluginType.REMOTE, true, EnumSet.allOf(OpType.class));

    @Test
    void pluginsLoadInConfiguredOrderByNameSonameOrPath() {
        try (Vaccel v = Vaccel.bootstrap(
                VaccelConfig.of("libvaccel-exec.so", "/opt/lib/libvaccel-noop.so"), List.of(noop, exec, rpc))) {
            assertThat(v.plugins()).extracting(PluginInfo::name).containsExactly("exec", "noop");
            assertThat(rpc.calls).isEmpty();
        }
        assertThat(exec.calls).containsExactly("init", "fini");
    }

    @Test
    void hintPicksTheFirstMatchingTypeElseTheFirstLocal() {
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("rpc", "exec", "noop"), List.of(noop, exec, rpc))) {
            assertThat(v.createSession(PluginType.DEBUG).pluginName()).isEqualTo("noop");
            assertThat(v.createSession(PluginType.CPU | PluginType.DEBUG).pluginName())
                    .isEqualTo("exec");
            assertThat(v.createSession(0).pluginName()).isEqualTo("exec");
            assertThat(v.createSession(PluginType.GPU).pluginName()).isEqualTo("exec");
            Session remote = v.createSession(PluginType.REMOTE | PluginType.DEBUG);
            assertThat(remote.pluginName()).isEqualTo("rpc");
            assertThat(remote.isRemote()).isTrue();
            assertThat(remote.remoteId()).isEqualTo(100 + remote.id());
            assertThat(rpc.calls).contains("sessionInit " + PluginType.DEBUG);
        }
    }

    @Test
    void aSingleTransportIsUsedForPlainSessions() {
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("rpc"), List.of(rpc))) {
            assertThat(v.createSession(0).isRemote()).isTrue();
        }
    }

    @Test
    void remoteWithoutTransportFails() {
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("noop"), List.of(noop))) {
            assertThatThrownBy(() -> v.createSession(PluginType.REMOTE))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP))
                    .hasMessageContaining("no transport");
            assertThat(v.sessionCount()).isZero();
        }
    }

    @Test
    void noPluginsMeansNoSessions() {
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of(), List.of(noop))) {
            assertThatThrownBy(() -> v.createSession(0)).hasMessageContaining("set VACCEL_PLUGINS");
        }
    }

    @Test
    void unknownPluginAbortsBootstrapAndFinalisesTheLoadedOnes() {
        assertThatThrownBy(() -> Vaccel.bootstrap(VaccelConfig.of("noop", "torch"), List.of(noop, exec)))
                .isInstanceOfSatisfying(
                        VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELIBBAD))
                .hasMessageContaining("plugin 'torch' not found")
                .hasMessageContaining("[noop, exec]");
        assertThat(noop.calls).containsExactly("init", "fini");
    }

    @Test
    void failingInitAbortsBootstrap() {
        exec.failInit = new IllegalStateException("no device");
        assertThatThrownBy(() -> Vaccel.bootstrap(VaccelConfig.of("noop", "exec"), List.of(noop, exec)))
                .isInstanceOfSatisfying(
                        VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELIBBAD))
                .hasMessageContaining("no device");
        assertThat(noop.calls).containsExactly("init", "fini");
    }

    @Test
    void majorVersionMismatchIsRefusedUnlessIgnored() {
        RecordingPlugin old = new RecordingPlugin(
                new PluginInfo("old", "1.0", "v1.2.0", PluginType.CPU, false), EnumSet.of(OpType.NOOP));
        assertThatThrownBy(() -> Vaccel.bootstrap(VaccelConfig.of("old"), List.of(old)))
                .isInstanceOf(VaccelException.InvalidArgumentException.class)
                .hasMessageContaining("incompatible");
        VaccelConfig ignore = VaccelConfig.parse("plugins=old,version_ignore=1", VaccelConfig.of());
        try (Vaccel v = Vaccel.bootstrap(ignore, List.of(old))) {
            assertThat(v.plugins()).hasSize(1);
        }
        RecordingPlugin minor = new RecordingPlugin(
                new PluginInfo("minor", "1.0", "0.6.0", PluginType.CPU, false), EnumSet.of(OpType.NOOP));
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("minor"), List.of(minor))) {
            assertThat(v.plugins()).hasSize(1);
        }
    }
}
