package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.util.Optional;

/** The truthful status: the recorded one while the process lives, else stopped. */
final class StatusResolver {
    private StatusResolver() {}

    static ContainerStatus resolve(ContainerRecord r, Host host) {
        if (r.status() == ContainerStatus.CREATING && r.pid() <= 0) return ContainerStatus.CREATING;
        return alive(r, host) ? r.status() : ContainerStatus.STOPPED;
    }

    static boolean alive(ContainerRecord r, Host host) {
        if (r.pid() <= 0) return false;
        Optional<ProcessInfo> p = host.inspect(r.pid());
        return p.isPresent()
                && !p.get().isZombie()
                && (r.pidStartTime() == 0 || p.get().startTime() == r.pidStartTime());
    }
}
