package io.synprobe.nativeio;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Asks the kernel's routing table which source address it would use towards a destination. */
public final class Routes {
    private final Shim lib = NativeLoader.lib();
    private final ByteBuffer dst = ByteBuffer.allocateDirect(16);
    private final ByteBuffer src = ByteBuffer.allocateDirect(16);
    private final NativeBuffer dstView = lib.wrap(dst);
    private final NativeBuffer srcView = lib.wrap(src);
    private final String netnsPath;

    public Routes(String netnsPath) {
        this.netnsPath = netnsPath;
    }

    /** @return the source address bytes (4 or 16), or throws when there is no route */
    public byte[] sourceFor(byte[] destination) {
        dst.clear();
        dst.put(destination);
        int family = destination.length == 4 ? 4 : 6;
        int rc = NetworkNamespace.run(netnsPath, () -> lib.routeSource(family, dstView, srcView));
        if (rc < 0) {
            String addr;
            try {
                addr = InetAddress.getByAddress(destination).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                addr = "?";
            }
            throw new NativeException("finding a route to " + addr, -rc, RawSockets.Errors.message(-rc));
        }
        byte[] out = new byte[destination.length];
        src.get(0, out);
        return out;
    }
}
