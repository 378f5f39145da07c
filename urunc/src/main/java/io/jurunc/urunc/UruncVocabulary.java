package io.jurunc.urunc;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The guest types and monitors a runtime runs: the values of {@link UruncKeys#TYPE} and {@link
 * UruncKeys#HYPERVISOR} it accepts. The runtime provides it from its registry of guests and monitors
 * ({@code META-INF/services/io.jurunc.urunc.UruncVocabulary}); the builder, which cannot see the
 * runtime, finds it with {@link #installed()}, so a guest or monitor added to the runtime's registry is
 * one the builder accepts and names in its hints.
 */
public interface UruncVocabulary {
    /** The guest type names ({@code unikernelType}), in the registry's order. */
    List<String> guests();

    /** The monitor names ({@code hypervisor}, without their aliases), in the registry's order. */
    List<String> monitors();

    /** Whether {@code value} names a guest type, read as the runtime reads it (any case, blanks around). */
    boolean isGuest(String value);

    /** Whether {@code value} names a monitor or one of its aliases, read as the runtime reads it. */
    boolean isMonitor(String value);

    /**
     * The one vocabulary on the class path (the runtime's). Looked up on each call, which is cheap
     * beside a build; the runtime loads its registry once.
     *
     * @throws IllegalStateException when there is none or more than one: the class path is wrong
     */
    static UruncVocabulary installed() {
        return only(ServiceLoader.load(UruncVocabulary.class, UruncVocabulary.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
    }

    /** Exactly one of {@code found}; the message says what is wrong with the class path otherwise. */
    static UruncVocabulary only(List<UruncVocabulary> found) {
        if (found.size() != 1) {
            throw new IllegalStateException((found.isEmpty() ? "no " : found.size() + " providers of ")
                    + UruncVocabulary.class.getName()
                    + " on the class path; the guest and monitor names come from exactly one runtime"
                    + " registry (jurunc-runtime)");
        }
        return found.getFirst();
    }
}
