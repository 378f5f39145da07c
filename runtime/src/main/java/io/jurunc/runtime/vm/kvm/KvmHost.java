package io.jurunc.runtime.vm.kvm;

import java.util.Optional;

/** The host facts the KVM probe reads. */
public interface KvmHost {
    /** Whether /sys/module/kvm_pvm exists (a PVM host: only PVM-enabled guest kernels run). */
    boolean pvmLoaded();

    /** Why /dev/kvm cannot be opened read-write, or empty when it can. */
    Optional<String> kvmUnusable();

    /** /proc/sys/kernel/random/boot_id: the probe's cache key. */
    String bootId();

    /** The machine, e.g. "x86_64". */
    String arch();
}
