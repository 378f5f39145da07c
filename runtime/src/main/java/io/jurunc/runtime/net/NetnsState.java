package io.jurunc.runtime.net;

import java.util.List;
import java.util.Optional;

/** A snapshot of a network namespace's links and IPv4 default routes, in the kernel's order. */
public record NetnsState(List<LinkInfo> links, List<DefaultRoute> defaultRoutes) {
    public NetnsState {
        links = List.copyOf(links);
        defaultRoutes = List.copyOf(defaultRoutes);
    }

    public Optional<LinkInfo> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * The container interface: the first non-loopback link that has an IPv4 address and holds a
     * default route (routes are taken in the kernel's order, i.e. lowest metric first), together
     * with that route.
     */
    public Optional<Uplink> uplink() {
        for (DefaultRoute route : defaultRoutes) {
            Optional<LinkInfo> link = link(route.dev());
            if (link.isPresent()
                    && !link.get().loopback()
                    && link.get().primaryIpv4().isPresent()) {
                return Optional.of(new Uplink(link.get(), route));
            }
        }
        return Optional.empty();
    }

    /** The container interface and the default route it holds. */
    public record Uplink(LinkInfo link, DefaultRoute route) {}
}
