package io.synprobe.nativeio;

/** A native call failed; carries the errno and what was being done. */
public class NativeException extends RuntimeException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;

    private final int errno;

    public NativeException(String what, int errno, String message) {
        super(what + ": " + message + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public boolean isPermissionDenied() {
        return errno == EPERM || errno == EACCES;
    }
}
