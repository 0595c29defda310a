package io.synprobe.runtime;

import java.util.concurrent.ThreadLocalRandom;

/** The local ports of a run: a block of consecutive ports in the ephemeral range, random unless one is asked for. */
public final class SourcePorts {
    private static final int LOW = 32768;
    private static final int HIGH = 60999;

    private SourcePorts() {
    }

    /** @param requested the first port the user asked for, or 0 to pick one; span ports follow it */
    public static int base(int requested, int span) {
        if (requested > 0) {
            if (requested + span - 1 > 65535) throw new IllegalArgumentException("source port too high for the retries");
            return requested;
        }
        if (span > HIGH - LOW) throw new IllegalArgumentException("too many source ports: " + span);
        return LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW - span + 1);
    }
}
