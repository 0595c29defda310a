package io.synprobe.runtime;

import java.lang.management.ManagementFactory;

/** Bytes the current thread has allocated on the heap: how the hot loops are checked to allocate nothing per packet. */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationMeter() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }

    /** @return bytes allocated by the calling thread so far, or -1 where the JVM cannot tell */
    static long current() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }
}
