package io.jurunc.runtime.config;

/** /etc/jurunc/config.toml is malformed. */
public final class ConfigException extends io.jurunc.runtime.JuruncException {
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConfigException(String message) {
        super(message);
    }
}
