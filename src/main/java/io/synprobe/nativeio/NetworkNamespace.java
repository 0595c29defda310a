package io.synprobe.nativeio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs setup code inside another network namespace. setns() moves only the calling thread, and sockets keep
 * the namespace they were created in, so the thread enters, opens what it needs, and returns.
 */
public final class NetworkNamespace {
    private NetworkNamespace() {
    }

    /** Resolves a namespace name (as made by `ip netns add`) or a path to the file to enter. */
    public static String path(String nameOrPath) {
        if (nameOrPath == null) return null;
        Path p = nameOrPath.contains("/") ? Path.of(nameOrPath) : Path.of("/var/run/netns", nameOrPath);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("network namespace '" + nameOrPath + "' does not exist (no " + p + ")");
        }
        return p.toString();
    }

    public static <T> T run(String path, Supplier<T> action) {
        if (path == null) return action.get();
        Shim lib = NativeLoader.lib();
        int saved = lib.netnsEnter(path);
        if (saved < 0) {
            throw new NativeException("entering network namespace " + path, -saved, RawSockets.Errors.message(-saved));
        }
        try {
            return action.get();
        } finally {
            int rc = lib.netnsLeave(saved);
            if (rc < 0) {
                // A thread stuck in the wrong namespace would silently probe from there: refuse to go on.
                throw new IllegalStateException("cannot return to the original network namespace: errno " + -rc);
            }
        }
    }
}
