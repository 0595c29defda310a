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
 * collection leaves alive in a heap pool that has a limit (the old generation) passes {@link #FRACTION} of it,
 * or comes within {@link #HEADROOM} of it; or when the pool's usage does so right after any collection (a
 * young one promotes into it). Usage counts garbage too, but the old generation only grows that large when the
 * data it keeps alive needs it.
 * The JVM reports that itself (a collection-usage threshold notification), so nothing polls on the probing
 * threads.
 */
final class HeapGuard implements AutoCloseable {
    /** Live data after a collection above this share of the old generation means the run must stop... */
    static final double FRACTION = 0.75;
    /**
     * ...or above all of it but this much: finishing the outputs needs room of its own (a per-host format loads the
     * service names and writes every host's report), whatever the size of the heap.
     */
    static final long HEADROOM = 12L << 20;

    private final NotificationEmitter emitter;
    private final NotificationListener listener;
    private final List<MemoryPoolMXBean> pools = new ArrayList<>();

    HeapGuard(Runnable onShort) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = p.getUsage() == null ? -1 : p.getUsage().getMax();
            if (p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && max > 0
                    && !p.getName().contains("Eden") && !p.getName().contains("Survivor")) {
                long threshold = Math.max(max / 4, Math.min((long) (max * FRACTION), max - HEADROOM));
                p.setCollectionUsageThreshold(threshold);
                // checked after every collection, also the young ones that promote into this pool: the old
                // generation may otherwise fill up between two full collections faster than the run can stop
                if (p.isUsageThresholdSupported()) p.setUsageThreshold(threshold);
                pools.add(p);
            }
        }
        emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        listener = (n, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())
                    || MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())) {
                onShort.run();
            }
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
        for (MemoryPoolMXBean p : pools) {
            p.setCollectionUsageThreshold(0);
            if (p.isUsageThresholdSupported()) p.setUsageThreshold(0);
        }
    }
}
