package io.jurunc.runtime.net;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Parses the JSON that {@code ip -j} and {@code tc -j} print (iproute2 6.x field names). */
final class IpJson {
    private IpJson() {}

    /**
     * The output of {@code ip -d -j -batch -} fed {@code addr show} and {@code route show default}:
     * two JSON arrays, one after the other.
     */
    static NetnsState netnsState(String output) throws NetOperationException {
        List<JsonNode> docs = documents(output);
        if (docs.size() != 2) {
            throw new NetOperationException(
                    "ip printed " + docs.size() + " JSON documents, expected 2 (addresses, routes)");
        }
        return new NetnsState(links(docs.get(0)), defaultRoutes(docs.get(1)));
    }

    static List<LinkInfo> links(JsonNode array) throws NetOperationException {
        List<LinkInfo> links = new ArrayList<>();
        for (JsonNode link : requireArray(array, "ip addr")) {
            String name = requireText(link, "ifname");
            boolean loopback =
                    "loopback".equals(link.path("link_type").asText()) || containsText(link.path("flags"), "LOOPBACK");
            String mac = "ether".equals(link.path("link_type").asText())
                    ? link.path("address").asText("").toLowerCase(java.util.Locale.ROOT)
                    : "";
            List<Ipv4Address> ipv4 = new ArrayList<>();
            for (JsonNode addr : link.path("addr_info")) {
                if ("inet".equals(addr.path("family").asText())) {
                    int prefix = addr.path("prefixlen").asInt(-1);
                    if (prefix < 0 || prefix > 32) {
                        throw new NetOperationException("ip JSON address has a bad prefixlen: " + addr);
                    }
                    ipv4.add(new Ipv4Address(
                            ipv4(requireText(addr, "local")),
                            prefix,
                            addr.path("secondary").asBoolean(false)));
                }
            }
            links.add(new LinkInfo(
                    name,
                    link.path("mtu").asInt(0),
                    mac,
                    loopback,
                    link.path("linkinfo").path("info_kind").asText(""),
                    link.path("ifalias").asText(""),
                    ipv4));
        }
        return links;
    }

    static List<DefaultRoute> defaultRoutes(JsonNode array) throws NetOperationException {
        List<DefaultRoute> routes = new ArrayList<>();
        for (JsonNode route : requireArray(array, "ip route")) {
            if (!"default".equals(route.path("dst").asText())
                    || !route.has("dev")
                    || (route.has("type")
                            && !"unicast".equals(route.path("type").asText()))) {
                continue;
            }
            Optional<Inet4Address> gateway = route.has("gateway")
                    ? Optional.of(ipv4(route.path("gateway").asText()))
                    : Optional.empty();
            routes.add(new DefaultRoute(route.path("dev").asText(), gateway));
        }
        return routes;
    }

    /** {@code tc -j qdisc show}: the devices with an ingress qdisc. */
    static Set<String> ingressQdiscDevices(String output) throws NetOperationException {
        Set<String> devices = new LinkedHashSet<>();
        for (JsonNode doc : documents(output)) {
            for (JsonNode qdisc : requireArray(doc, "tc qdisc")) {
                if ("ingress".equals(qdisc.path("kind").asText()) && qdisc.has("dev")) {
                    devices.add(qdisc.path("dev").asText());
                }
            }
        }
        return devices;
    }

    /** {@code tc -j filter show dev DEV ingress}: the devices the mirred actions redirect to. */
    static List<String> redirectTargets(String output) throws NetOperationException {
        List<String> targets = new ArrayList<>();
        for (JsonNode doc : documents(output)) {
            for (JsonNode filter : requireArray(doc, "tc filter")) {
                for (JsonNode action : filter.path("options").path("actions")) {
                    if ("mirred".equals(action.path("kind").asText())
                            && "redirect".equals(action.path("mirred_action").asText())) {
                        targets.add(action.path("to_dev").asText("*"));
                    }
                }
            }
        }
        return targets;
    }

    private static List<JsonNode> documents(String output) throws NetOperationException {
        List<JsonNode> docs = new ArrayList<>();
        if (output.isBlank()) {
            return docs;
        }
        // a plain parser, not readValues(): that would unwrap a leading top-level array
        try (JsonParser parser = Json.mapper().createParser(output)) {
            while (parser.nextToken() != null) {
                docs.add(Json.mapper().readTree(parser));
            }
        } catch (JsonProcessingException e) {
            throw new NetOperationException("cannot parse JSON from ip/tc: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            throw new NetOperationException("cannot parse JSON from ip/tc: " + e.getMessage());
        }
        return docs;
    }

    private static JsonNode requireArray(JsonNode node, String what) throws NetOperationException {
        if (!node.isArray()) {
            throw new NetOperationException(what + " printed " + node.getNodeType() + ", expected an array");
        }
        return node;
    }

    private static String requireText(JsonNode node, String field) throws NetOperationException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new NetOperationException("ip JSON entry lacks '" + field + "': " + node);
        }
        return value.asText();
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (text.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Parses a dotted-quad IPv4 literal without any name lookup. */
    static Inet4Address ipv4(String text) throws NetOperationException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new NetOperationException("not an IPv4 address: '" + text + "'");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = parts[i].isEmpty() || parts[i].length() > 3 ? -1 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0 || value > 255) {
                throw new NetOperationException("not an IPv4 address: '" + text + "'");
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }
}
