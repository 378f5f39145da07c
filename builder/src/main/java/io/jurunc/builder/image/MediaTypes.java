package io.jurunc.builder.image;

/** Media types of the OCI image spec and Docker schema 2. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** Annotation carrying the tag in an OCI layout index. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Annotation containerd's importer reads for the full image name. */
    public static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";

    private MediaTypes() {}

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** The OCI layer type for a pulled layer of either family; the bytes stay the same. */
    public static String toOciLayer(String mediaType) {
        return switch (mediaType) {
            case DOCKER_LAYER_GZIP, OCI_LAYER_GZIP -> OCI_LAYER_GZIP;
            case OCI_LAYER_TAR, "application/vnd.docker.image.rootfs.diff.tar" -> OCI_LAYER_TAR;
            case OCI_LAYER_ZSTD -> OCI_LAYER_ZSTD;
            default -> throw new IllegalArgumentException("unsupported layer media type " + mediaType);
        };
    }
}
