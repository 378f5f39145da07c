package io.jurunc.e2e.support;

/**
 * Picks the builder for the test images: the project's own ({@code jurunc build}, the default) or,
 * with {@code -Djurunc.e2e.builder=umoci}, the umoci reference builder (to tell a runtime failure
 * from a builder failure).
 */
public final class ImageBuilders {

    private ImageBuilders() {}

    public static ImageBuilder configured(Host host) {
        String which = System.getProperty("jurunc.e2e.builder", "jurunc");
        return switch (which) {
            case "jurunc" -> new JuruncImageBuilder(host, Jurunc.cli());
            case "umoci" -> new UmociImageBuilder(host);
            default -> throw new HarnessException("-Djurunc.e2e.builder must be jurunc or umoci, not " + which);
        };
    }
}
