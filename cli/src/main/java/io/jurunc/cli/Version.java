package io.jurunc.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}, in runc's shape. */
public final class Version implements IVersionProvider {
    public static final String VERSION = "0.1.0";
    public static final String SPEC_VERSION = "1.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {
            "jurunc version " + VERSION, "spec: " + SPEC_VERSION, "java: " + System.getProperty("java.version")
        };
    }
}
