package io.jurunc.runtime.metadata;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.urunc.UruncVocabulary;
import java.util.List;

/**
 * The urunc vocabulary the runtime runs, read from its registry of guests and monitors: the builder
 * finds it through {@code META-INF/services/io.jurunc.urunc.UruncVocabulary}. A name is accepted here
 * exactly when {@link MetadataReader} accepts it.
 */
public final class RegistryVocabulary implements UruncVocabulary {
    /** For {@link java.util.ServiceLoader}. */
    public RegistryVocabulary() {}

    @Override
    public List<String> guests() {
        return GuestType.all().stream().map(GuestType::key).toList();
    }

    @Override
    public List<String> monitors() {
        return MonitorType.all().stream().map(MonitorType::key).toList();
    }

    @Override
    public boolean isGuest(String value) {
        try {
            GuestType.parse(value);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    @Override
    public boolean isMonitor(String value) {
        try {
            MonitorType.parse(value);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
