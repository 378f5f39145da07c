package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.JuruncImageBuilder;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The builder's acceptance: every archive format {@code jurunc build} makes is accepted by
 * {@code ctr images import}, for every test image, and what it imported runs (the plain image with
 * runc, so that this class does not depend on the VM path).
 */
@E2E
class BuilderAcceptanceTest {

    @ParameterizedTest
    @EnumSource(ImageBuilder.Format.class)
    void ctrImportsEveryFormatTheBuilderMakes(ImageBuilder.Format format, @TempDir Path tmp) {
        RealHost host = new RealHost();
        ImageBuilder builder = new JuruncImageBuilder(host, Jurunc.cli());
        try (PrivateContainerd containerd = PrivateContainerd.start()) {
            Ctr ctr = containerd.ctr();
            for (String name : TestImages.names()) {
                String ref = "jurunc.test/" + name + "-"
                        + format.name().toLowerCase().replace('_', '-') + ":latest";
                Path archive = tmp.resolve(name + ".tar");
                builder.build(TestImages.context(name, tmp.resolve("ctx")), ref, format, archive);
                CommandResult imported = ctr.importImage(archive, ref.substring(0, ref.lastIndexOf(':')));
                assertThat(imported.succeeded()).as(imported.describe()).isTrue();
                assertThat(ctr.images()).as(imported.describe()).contains(ref);
            }
            String ref = "jurunc.test/plain-" + format.name().toLowerCase().replace('_', '-') + ":latest";
            CommandResult run =
                    ctr.run(RunSpec.of(ref, "e2e-import-" + format.ordinal()).withRm());
            assertThat(run.stdout()).as(run.describe()).contains("hello from runc via jurunc");
        }
    }

    @Test
    void theBuilderImportsStraightIntoContainerd(@TempDir Path tmp) {
        RealHost host = new RealHost();
        try (PrivateContainerd containerd = PrivateContainerd.start()) {
            Ctr ctr = containerd.ctr();
            String ref = "jurunc.test/plain-ctr:latest";
            Path ctx = TestImages.context("plain", tmp);
            CommandResult built = host.run(Command.of(
                            Jurunc.cli().toString(),
                            "build",
                            "-f",
                            ctx.resolve("Containerfile").toString(),
                            "-t",
                            ref,
                            "--output",
                            "ctr",
                            "--address",
                            containerd.address().toString(),
                            "--namespace",
                            ctr.namespace(),
                            ctx.toString())
                    .withTimeout(Duration.ofMinutes(2)));
            assertThat(built.succeeded()).as(built.describe()).isTrue();
            assertThat(ctr.images()).as(built.describe()).contains(ref);
            CommandResult run = ctr.run(RunSpec.of(ref, "e2e-import-ctr").withRm());
            assertThat(run.stdout()).as(run.describe()).contains("hello from runc via jurunc");
        }
    }
}
