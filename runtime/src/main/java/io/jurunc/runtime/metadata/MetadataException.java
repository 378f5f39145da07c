package io.jurunc.runtime.metadata;

/** The bundle names a unikernel but its metadata is invalid. The message names the key and the fix. */
public final class MetadataException extends io.jurunc.runtime.JuruncException {
    private final String key;

    public MetadataException(String key, String problem, String fix) {
        super(key + ": " + problem + (fix == null || fix.isEmpty() ? "" : "; " + fix));
        this.key = key;
    }

    public String key() {
        return key;
    }
}
