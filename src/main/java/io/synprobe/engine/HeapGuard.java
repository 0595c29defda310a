package io.synprobe.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Tells a run that the heap is running short, while there is still room to stop cleanly: when what a garbage
 * collection leaves alive in a heap pool that has a limit (the old generation) passes {@link #FRACTION} of it.
 * The JVM reports that itself (a collection-usage threshold notification), so nothing polls on the probing
 * threads.
 */
final class HeapGuard implements AutoCloseable {
    /** Live data after a collection above this share of the old generation means the run must stop. */
    static final double FRACTION = 0.75;

    private final NotificationEmitter emitter;
    private final NotificationListener listener;
    private final List<MemoryPoolMXBean> pools = new ArrayList<>();

    HeapGuard(Runnable onShort) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = p.getUsage() == null ? -1 : p.getUsage().getMax();
            if (p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && max > 0
                    && !p.getName().contains("Eden") && !p.getName().contains("Survivor")) {
                p.setCollectionUsageThreshold((long) (max * FRACTION));
                pools.add(p);
            }
        }
        emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        listener = (n, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) onShort.run();
        };
        emitter.addNotificationListener(listener, null, null);
    }

    /** Whether some pool could be watched (false on a JVM whose collector reports no old generation limit). */
    boolean watching() {
        return !pools.isEmpty();
    }

    @Override
    public void close() {
        try {
            emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // already gone
        }
        for (MemoryPoolMXBean p : pools) p.setCollectionUsageThreshold(0);
    }
}
