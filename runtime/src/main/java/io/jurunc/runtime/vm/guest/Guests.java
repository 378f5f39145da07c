package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestType;

/** The guest kinds jurunc knows. */
public final class Guests {
    private Guests() {}

    public static GuestKernel of(GuestType type) {
        return switch (type) {
            case LINUX -> new LinuxGuest();
            case UNIKRAFT -> new UnikraftGuest();
            case RUMPRUN -> new RumprunGuest();
            case MIRAGE -> new MirageGuest();
            case MEWZ -> new MewzGuest();
            case HERMIT -> new HermitGuest();
        };
    }
}
