package io.synprobe.nativeio;

/** errno numbers (Linux) to their names, for messages and reports ("send-error EPERM"). */
public final class Errno {
    private Errno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 11 -> "EAGAIN";
            case 13 -> "EACCES";
            case 22 -> "EINVAL";
            case 90 -> "EMSGSIZE";
            case 97 -> "EAFNOSUPPORT";
            case 99 -> "EADDRNOTAVAIL";
            case 101 -> "ENETUNREACH";
            case 105 -> "ENOBUFS";
            case 113 -> "EHOSTUNREACH";
            default -> "errno " + errno;
        };
    }
}
