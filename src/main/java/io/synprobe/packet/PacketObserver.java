package io.synprobe.packet;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.ReplyBatch;

/** Sees every packet the runtime sends and receives (--packet-trace). Absent unless asked for: costs nothing then. */
public interface PacketObserver {
    void sent(ProbeBatch batch, int slot);

    void received(ReplyBatch batch, int index);
}
