package io.synprobe.nativeio;

/**
 * When started through sudo, gives up root once the raw sockets are open: the rest of the run (parsing replies,
 * writing files) happens as the user who invoked sudo. Not done with --netns, whose later setns calls need root.
 */
public final class SudoDrop {
    private SudoDrop() {
    }

    /** @return the uid the process now runs as, or -1 when nothing was dropped */
    public static int afterSocketsOpen(String netnsPath) {
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
