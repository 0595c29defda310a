package io.synprobe.nativeio;

/** The clock the kernel stamps packets with (CLOCK_REALTIME), read the same way the shim reads it. */
public final class WireClock {
    private WireClock() {
    }

    public static long realtimeNs() {
        return NativeLoader.lib().nowNs();
    }
}
