package io.jurunc.bench.spawn;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The medians of one subject's runs.
 *
 * @param spawnMs median time from start to the first HTTP answer
 * @param ratioToRunc that median over runc's from the same run (empty without runc answers)
 * @param sandboxPssMiB median PSS of the sandbox's processes
 * @param shimPssMiB median PSS of its shim
 * @param fitIn8GiB how many such idle sandboxes (with their shims) fit in 8 GiB of host memory
 * @param monitorBeyondGuestRamMiB median QEMU RSS outside the guest-RAM mapping (empty without QEMU)
 * @param tcgCacheMiB median RSS of TCG's code cache, part of the above (empty without QEMU)
 * @param guestInitMs median guest uptime when the jurunc init started (empty without such lines)
 */
public record SubjectSummary(
        String subject,
        int runs,
        int answered,
        OptionalDouble spawnMs,
        OptionalDouble ratioToRunc,
        OptionalDouble sandboxPssMiB,
        OptionalDouble shimPssMiB,
        OptionalLong fitIn8GiB,
        OptionalDouble monitorBeyondGuestRamMiB,
        OptionalDouble tcgCacheMiB,
        OptionalDouble guestInitMs) {

    static final double EIGHT_GIB_MIB = 8 * 1024;

    /**
     * @param runcSpawnMs runc's median from the same run, the denominator of the ratio
     * @param guestInitMsById guest init uptimes found on the runs' consoles, by run id
     */
    public static SubjectSummary of(
            String subject, List<Sample> samples, OptionalDouble runcSpawnMs, Map<String, Double> guestInitMsById) {
        List<Sample> ok = samples.stream()
                .filter(s -> s.subject().equals(subject) && s.ok())
                .toList();
        int runs =
                (int) samples.stream().filter(s -> s.subject().equals(subject)).count();
        OptionalDouble spawn = Stats.median(ok.stream().map(Sample::spawnMs).toList());
        OptionalDouble ratio = spawn.isPresent() && runcSpawnMs.isPresent() && runcSpawnMs.getAsDouble() > 0
                ? OptionalDouble.of(spawn.getAsDouble() / runcSpawnMs.getAsDouble())
                : OptionalDouble.empty();
        List<Sample> measured = ok.stream().filter(s -> s.sandboxPssKb() > 0).toList();
        OptionalDouble sandbox = Stats.median(
                measured.stream().map(s -> s.sandboxPssKb() / 1024.0).toList());
        OptionalDouble shim =
                Stats.median(measured.stream().map(s -> s.shimPssKb() / 1024.0).toList());
        OptionalDouble host =
                Stats.median(measured.stream().map(s -> s.hostPssKb() / 1024.0).toList());
        OptionalLong fit = host.isPresent() && host.getAsDouble() > 0
                ? OptionalLong.of((long) Math.floor(EIGHT_GIB_MIB / host.getAsDouble()))
                : OptionalLong.empty();
        OptionalDouble beyond = Stats.median(measured.stream()
                .filter(s -> s.qemuRssKb() > 0)
                .map(s -> s.monitorBeyondGuestRamKb() / 1024.0)
                .toList());
        OptionalDouble tcg = Stats.median(measured.stream()
                .filter(s -> s.qemuRssKb() > 0)
                .map(s -> s.qemuTcgRssKb() / 1024.0)
                .toList());
        OptionalDouble guest = Stats.median(ok.stream()
                .map(Sample::id)
                .filter(guestInitMsById::containsKey)
                .map(guestInitMsById::get)
                .toList());
        return new SubjectSummary(subject, runs, ok.size(), spawn, ratio, sandbox, shim, fit, beyond, tcg, guest);
    }
}
