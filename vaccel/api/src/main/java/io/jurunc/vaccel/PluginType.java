package io.jurunc.vaccel;

/** vAccel plugin type bits. Session flags are a hint mask of these bits. */
public final class PluginType {
    public static final int CPU = 0x1;
    public static final int GPU = 0x2;
    public static final int FPGA = 0x4;
    public static final int SOFTWARE = 0x8;
    public static final int TENSORFLOW = 0x10;
    public static final int TORCH = 0x20;
    public static final int JETSON = 0x40;
    public static final int GENERIC = 0x80;
    public static final int DEBUG = 0x100;
    /** Asks for a remote session, i.e. a transport plugin. */
    public static final int REMOTE = 0x4000;

    public static final int ALL = 0xffff;

    private PluginType() {}
}
