package io.jurunc.cli;

import io.jurunc.runtime.net.ContainerNetwork;
import io.jurunc.runtime.net.NetnsRef;
import io.jurunc.runtime.net.TapOwner;
import java.util.Optional;

/**
 * The network part of the AOT-cache training: the tap, qdisc and redirect set-up that {@code jurunc
 * start} does over rtnetlink, then its teardown, in a throw-away namespace that make-dist.sh creates
 * (a veth with an address and a default route). FFM binds each downcall on first use; without this
 * every {@code start} pays that binding. Run alone it prints how long one set-up and teardown took,
 * which is how the effect of the cache on this path is measured.
 */
public final class TrainNetwork {
    private TrainNetwork() {}

    /** Sets up and tears down a sandbox network {@code rounds} times in {@code netns}. */
    static long run(NetnsRef netns, int rounds) throws Exception {
        ContainerNetwork network = ContainerNetwork.system();
        long first = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            network.setup(netns, "jurunc-train", Optional.of(new TapOwner(65534, 65534)))
                    .orElseThrow(() -> new IllegalStateException(netns + " has no interface with a default route"));
            network.teardown(netns, "jurunc-train");
            if (i == 0) {
                first = System.nanoTime() - t0;
            }
        }
        return first;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TrainNetwork NETNS-PATH");
            System.exit(2);
        }
        long nanos = run(NetnsRef.of(args[0]), 1);
        System.out.printf("network set-up + teardown, first in this JVM: %.1f ms%n", nanos / 1e6);
    }
}
