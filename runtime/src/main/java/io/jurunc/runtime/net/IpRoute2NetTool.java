package io.jurunc.runtime.net;

import io.jurunc.runtime.sys.Syscalls;
import java.util.List;
import java.util.Set;

/** {@link NetTool} over iproute2's {@code ip} and {@code tc}, run inside the namespace. */
final class IpRoute2NetTool implements NetTool {
    private final CommandRunner runner;

    IpRoute2NetTool(Syscalls sys) {
        this(new SetnsCommandRunner(sys));
    }

    IpRoute2NetTool(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public NetnsState inspect(NetnsRef netns) throws NetOperationException {
        // one process for both questions: ip's batch mode prints one JSON array per command
        String out = runner.run(netns, List.of("ip", "-d", "-j", "-batch", "-"), "addr show\nroute show default\n");
        return IpJson.netnsState(out);
    }

    @Override
    public Set<String> ingressQdiscDevices(NetnsRef netns) throws NetOperationException {
        return IpJson.ingressQdiscDevices(runner.run(netns, List.of("tc", "-j", "qdisc", "show"), null));
    }

    @Override
    public List<String> ingressRedirectTargets(NetnsRef netns, String dev) throws NetOperationException {
        return IpJson.redirectTargets(
                runner.run(netns, List.of("tc", "-j", "filter", "show", "dev", dev, "ingress"), null));
    }

    @Override
    public void configureTap(NetnsRef netns, String tap, int mtu, String alias) throws NetOperationException {
        runner.run(
                netns,
                List.of("ip", "link", "set", "dev", tap, "mtu", Integer.toString(mtu), "alias", alias, "up"),
                null);
    }

    @Override
    public void addIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        runner.run(netns, List.of("tc", "qdisc", "add", "dev", dev, "ingress"), null);
    }

    @Override
    public void deleteIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        runner.run(netns, List.of("tc", "qdisc", "del", "dev", dev, "ingress"), null);
    }

    @Override
    public void addIngressRedirect(NetnsRef netns, String from, String to) throws NetOperationException {
        runner.run(
                netns,
                List.of(
                        "tc",
                        "filter",
                        "add",
                        "dev",
                        from,
                        "parent",
                        "ffff:",
                        "protocol",
                        "all",
                        "u32",
                        "match",
                        "u32",
                        "0",
                        "0",
                        "action",
                        "mirred",
                        "egress",
                        "redirect",
                        "dev",
                        to),
                null);
    }

    @Override
    public void deleteLink(NetnsRef netns, String dev) throws NetOperationException {
        runner.run(netns, List.of("ip", "link", "del", "dev", dev), null);
    }
}
