package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Per-container lifecycle overhead, all variants in one run: create&rarr;running ({@code ctr run -d} until
 * it returns with the task started) and kill&rarr;deleted ({@code ctr task kill -s SIGKILL} until {@code ctr
 * task rm} has succeeded). ctr's own cost is in every number alike. Prints a table; run with
 * {@code mvn -q -pl e2e test -De2e -Dtest=ShimOverheadTest -Djurunc.bench.n=10}.
 */
@E2E
class ShimOverheadTest {
    private static final int N = Integer.getInteger("jurunc.bench.n", 5);
    /** Variants whose every sample starts with no shim daemon on the node. */
    private static final String COLD = "jurunc shim, no daemon yet, ";

    record Sample(double createMs, double deleteMs) {}

    @Test
    void lifecycleOverheadPerVariant() {
        try (ShimEnvironment env = ShimEnvironment.start("plain", "hello")) {
            Map<String, BiFunction<String, String[], RunSpec>> variants = new LinkedHashMap<>();
            variants.put("runc shim + runc, plain", (id, args) -> RunSpec.of(ShimEnvironment.ref("plain"), id, args));
            variants.put(
                    "runc shim + jurunc CLI, plain",
                    (id, args) ->
                            RunSpec.of(ShimEnvironment.ref("plain"), id, args).withRuncBinary(Jurunc.cli()));
            variants.put(COLD + "plain", (id, args) -> env.shimRun("plain", id, args));
            variants.put("jurunc shim, plain (warm daemon)", (id, args) -> env.shimRun("plain", id, args));
            variants.put(
                    "runc shim + jurunc CLI, microVM",
                    (id, args) -> RunSpec.of(ShimEnvironment.ref("hello"), id, args)
                            .withRuncBinary(Jurunc.cli())
                            .withTimeout(Duration.ofSeconds(120)));
            variants.put(
                    COLD + "microVM",
                    (id, args) -> env.shimRun("hello", id, args).withTimeout(Duration.ofSeconds(120)));
            variants.put(
                    "jurunc shim, microVM (warm daemon)",
                    (id, args) -> env.shimRun("hello", id, args).withTimeout(Duration.ofSeconds(120)));

            StringBuilder table = new StringBuilder(
                    String.format("%n%-38s %8s %8s   (median of %d, ms)%n", "variant", "create", "delete", N));
            for (var v : variants.entrySet()) {
                List<Sample> samples = new ArrayList<>();
                for (int i = 0; i < N + 1; i++) {
                    if (v.getKey().startsWith(COLD)) {
                        env.stopShimDaemons(); // the node's first container: no daemon yet
                    }
                    Sample s = once(env, v.getValue());
                    if (i > 0) {
                        samples.add(s); // the first run warms page cache and images
                    }
                }
                table.append(String.format(
                        "%-38s %8.0f %8.0f%n",
                        v.getKey(),
                        median(samples.stream().map(Sample::createMs).toList()),
                        median(samples.stream().map(Sample::deleteMs).toList())));
            }
            System.out.println(table);
        }
    }

    private static Sample once(ShimEnvironment env, BiFunction<String, String[], RunSpec> spec) {
        String id = ShimCtrTest.newId("bench");
        try {
            long t0 = System.nanoTime();
            CommandResult run = env.ctr()
                    .run(spec.apply(id, new String[] {"/bin/busybox", "sleep", "600"})
                            .withFlag("--detach"));
            long t1 = System.nanoTime();
            assertThat(run.succeeded()).as(run.describe()).isTrue();
            long t2 = System.nanoTime();
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!env.ctr().deleteTask(id, false).succeeded()) {
                assertThat(System.nanoTime())
                        .as("task " + id + " deleted within 30 s")
                        .isLessThan(deadline);
                Waits.sleep(Duration.ofMillis(10));
            }
            long t3 = System.nanoTime();
            env.ctr().deleteContainer(id).requireSuccess();
            return new Sample((t1 - t0) / 1e6, (t3 - t2) / 1e6);
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
