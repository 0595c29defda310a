package io.synprobe.nativeio;

/**
 * When started through sudo, gives up root once every raw socket the command needs is open: the rest of the run
 * (parsing replies, writing files) happens as the user who invoked sudo. Not done with --netns, whose later setns
 * calls need root. Once per process, by the command line only: after it no raw socket can be opened, so the Java
 * API never calls it behind its caller's back.
 */
public final class SudoDrop {
    private static final java.util.concurrent.atomic.AtomicBoolean DONE = new java.util.concurrent.atomic.AtomicBoolean();

    private SudoDrop() {
    }

    /** @return the uid the process now runs as, or -1 when nothing was dropped (now or by an earlier call) */
    public static int afterSocketsOpen(String netnsPath) {
        if (!DONE.compareAndSet(false, true)) return -1;
        String uid = System.getenv("SUDO_UID"), gid = System.getenv("SUDO_GID");
        if (netnsPath != null || uid == null || gid == null) return -1;
        if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) return -1;
        int u, g;
        try {
            u = Integer.parseInt(uid);
            g = Integer.parseInt(gid);
        } catch (NumberFormatException e) {
            return -1;
        }
        if (u == 0) return -1;
        int rc = NativeLoader.lib().dropPrivileges(u, g);
        if (rc < 0) throw new NativeException("dropping root privileges to uid " + u, -rc, RawSockets.Errors.message(-rc));
        return u;
    }
}
