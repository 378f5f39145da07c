package io.jurunc.guest;

/** The rootfs cannot be packed into an initramfs; the message names the file and the reason. */
public final class InitramfsException extends Exception {
    public InitramfsException(String message) {
        super(message);
    }

    public InitramfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
