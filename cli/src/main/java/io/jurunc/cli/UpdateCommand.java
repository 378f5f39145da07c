package io.jurunc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.oci.Json;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.ResourceUpdate;
import io.jurunc.runtime.lifecycle.UpdateOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code update} with runc's flags or {@code --resources FILE|-} (OCI LinuxResources JSON; with it the
 * other flags are ignored, as runc does). runc's containers go to runc; a microVM gets what can change
 * live applied to its cgroup and the rest refused ({@link UpdateOperation}).
 */
@Command(name = "update", description = "update the container's resource limits")
final class UpdateCommand extends ContainerCommand {
    @Option(
            names = {"-r", "--resources"},
            description = "OCI LinuxResources JSON file, or - for stdin")
    String resources;

    @Option(names = "--blkio-weight")
    Long blkioWeight;

    @Option(names = "--cpu-period")
    Long cpuPeriod;

    @Option(names = "--cpu-quota")
    Long cpuQuota;

    @Option(names = "--cpu-share")
    Long cpuShare;

    @Option(names = "--cpu-rt-period")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime")
    Long cpuRtRuntime;

    @Option(names = "--cpuset-cpus")
    String cpusetCpus;

    @Option(names = "--cpuset-mems")
    String cpusetMems;

    @Option(names = "--kernel-memory")
    String kernelMemory;

    @Option(names = "--kernel-memory-tcp")
    String kernelMemoryTcp;

    @Option(names = "--memory")
    String memory;

    @Option(names = "--memory-reservation")
    String memoryReservation;

    @Option(names = "--memory-swap")
    String memorySwap;

    @Option(names = "--pids-limit")
    Long pidsLimit;

    @Option(names = "--l3-cache-schema")
    String l3CacheSchema;

    @Option(names = "--mem-bw-schema")
    String memBwSchema;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        new UpdateOperation(top.context()).run(id, request());
        return 0;
    }

    ResourceUpdate request() throws JuruncException {
        if (resources != null) {
            try {
                byte[] json = resources.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(resources));
                return ResourceUpdate.fromJson(json);
            } catch (IOException e) {
                throw new JuruncCommand.UsageException("cannot read --resources " + resources + ": " + e.getMessage());
            }
        }
        ObjectNode r = Json.mapper().createObjectNode();
        ObjectNode mem = r.putObject("memory");
        ObjectNode cpu = r.putObject("cpu");
        if (memory != null) mem.put("limit", bytes("--memory", memory));
        if (memoryReservation != null) mem.put("reservation", bytes("--memory-reservation", memoryReservation));
        if (memorySwap != null) mem.put("swap", bytes("--memory-swap", memorySwap));
        if (kernelMemory != null) mem.put("kernel", bytes("--kernel-memory", kernelMemory));
        if (kernelMemoryTcp != null) mem.put("kernelTCP", bytes("--kernel-memory-tcp", kernelMemoryTcp));
        if (cpuShare != null) cpu.put("shares", cpuShare);
        if (cpuQuota != null) cpu.put("quota", cpuQuota);
        if (cpuPeriod != null) cpu.put("period", cpuPeriod);
        if (cpuRtRuntime != null) cpu.put("realtimeRuntime", cpuRtRuntime);
        if (cpuRtPeriod != null) cpu.put("realtimePeriod", cpuRtPeriod);
        if (cpusetCpus != null) cpu.put("cpus", cpusetCpus);
        if (cpusetMems != null) cpu.put("mems", cpusetMems);
        if (pidsLimit != null) r.putObject("pids").put("limit", pidsLimit);
        if (blkioWeight != null) r.putObject("blockIO").put("weight", blkioWeight);
        if (l3CacheSchema != null || memBwSchema != null)
            r.putObject("intelRdt").put("l3CacheSchema", "" + l3CacheSchema);
        try {
            return ResourceUpdate.fromJson(Json.mapper().writeValueAsBytes(r));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern UNITS = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?$");

    /** docker/go-units RAMInBytes, as runc parses memory flags: binary units, -1 for "no limit". */
    static long bytes(String flag, String value) throws JuruncCommand.UsageException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("-1")) return -1;
        Matcher m = UNITS.matcher(v);
        if (!m.matches()) throw new JuruncCommand.UsageException("invalid value for " + flag + ": " + value);
        double n = Double.parseDouble(m.group(1));
        int shift = m.group(2) == null
                ? 0
                : switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 50;
                };
        return (long) (n * (1L << shift));
    }
}
