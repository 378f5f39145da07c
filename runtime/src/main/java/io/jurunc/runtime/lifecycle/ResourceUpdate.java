package io.jurunc.runtime.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code update} asks for: OCI {@code LinuxResources} (runc's {@code --resources} JSON, containerd's
 * Update) or runc's flags. Absent means "leave as is"; -1 means "no limit" where the OCI spec allows it.
 *
 * @param unsupported the other LinuxResources members given with a value (hugepageLimits, unified,
 *     devices, …): always refused for a VM
 */
public record ResourceUpdate(
        OptionalLong memoryLimit,
        OptionalLong memoryReservation,
        OptionalLong memorySwap,
        OptionalLong memoryKernel,
        OptionalLong memoryKernelTcp,
        OptionalLong cpuShares,
        OptionalLong cpuQuota,
        OptionalLong cpuPeriod,
        OptionalLong cpuRealtimeRuntime,
        OptionalLong cpuRealtimePeriod,
        Optional<String> cpusetCpus,
        Optional<String> cpusetMems,
        OptionalLong pidsLimit,
        OptionalLong blkioWeight,
        List<String> unsupported) {
    public static final ResourceUpdate NONE = new ResourceUpdate(
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            List.of());

    public ResourceUpdate {
        unsupported = List.copyOf(unsupported);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Parses OCI LinuxResources JSON; an empty document or {@code {}} asks for nothing. */
    public static ResourceUpdate fromJson(byte[] json) throws InvalidResourcesException {
        if (new String(json, java.nio.charset.StandardCharsets.UTF_8).isBlank()) return NONE;
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidResourcesException("resources: not JSON: " + e.getMessage());
        }
        if (n == null || n.isNull()) return NONE;
        if (!n.isObject())
            throw new InvalidResourcesException("resources: expected a JSON object (OCI LinuxResources)");
        JsonNode mem = n.path("memory");
        JsonNode cpu = n.path("cpu");
        List<String> other = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (List.of("memory", "cpu", "pids", "blockIO").contains(e.getKey())) continue;
            JsonNode v = e.getValue();
            if (!v.isNull() && !(v.isContainerNode() && v.isEmpty())) other.add(e.getKey());
        }
        for (String k : List.of(
                "weightDevice",
                "throttleReadBpsDevice",
                "throttleWriteBpsDevice",
                "throttleReadIOPSDevice",
                "throttleWriteIOPSDevice",
                "leafWeight")) {
            JsonNode v = n.path("blockIO").path(k);
            if (!v.isMissingNode() && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) other.add("blockIO." + k);
        }
        for (String k : List.of("swappiness", "disableOOMKiller", "useHierarchy", "checkBeforeUpdate")) {
            JsonNode v = mem.path(k);
            if (!v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) other.add("memory." + k);
        }
        return new ResourceUpdate(
                num(mem, "limit"),
                num(mem, "reservation"),
                num(mem, "swap"),
                num(mem, "kernel"),
                num(mem, "kernelTCP"),
                num(cpu, "shares"),
                num(cpu, "quota"),
                num(cpu, "period"),
                num(cpu, "realtimeRuntime"),
                num(cpu, "realtimePeriod"),
                text(cpu, "cpus"),
                text(cpu, "mems"),
                num(n.path("pids"), "limit"),
                num(n.path("blockIO"), "weight"),
                other);
    }

    private static OptionalLong num(JsonNode parent, String key) throws InvalidResourcesException {
        JsonNode v = parent.path(key);
        if (v.isMissingNode() || v.isNull()) return OptionalLong.empty();
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidResourcesException("resources: " + key + " must be an integer, got " + v);
        }
        return OptionalLong.of(v.asLong());
    }

    private static Optional<String> text(JsonNode parent, String key) {
        JsonNode v = parent.path(key);
        if (v.isMissingNode() || v.isNull() || v.asText().isEmpty()) return Optional.empty();
        return Optional.of(v.asText());
    }
}
