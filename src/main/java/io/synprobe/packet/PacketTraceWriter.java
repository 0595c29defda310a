package io.synprobe.packet;

import com.fasterxml.jackson.core.JsonGenerator;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.packet.PacketTrace.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code --packet-trace} for one run: each packet sent or received becomes one line on the text stream (stderr)
 * and, when a JSONL generator is given, one {@code {"type":"packet", ...}} record followed by a newline. Times are
 * the kernel's (CLOCK_REALTIME: the probe's send stamp, the reply's receive stamp) since the run's start.
 *
 * <p>Create it only when tracing is on; the loops call it only then. Methods are synchronized so a send thread
 * and a receive thread can share one writer; nothing else may write to the generator concurrently.
 */
public final class PacketTraceWriter implements PacketObserver {
    private final Appendable text;
    private final JsonGenerator json;
    private final java.io.OutputStream jsonOut;
    private final java.io.ByteArrayOutputStream jsonBuffer = new java.io.ByteArrayOutputStream(512);
    private final long startRealtimeNs;
    private final PacketTrace trace = new PacketTrace();
    private final StringBuilder line = new StringBuilder(256);
    private final byte[] crafted = new byte[128];
    private final ByteBuffer craftedBuffer = ByteBuffer.wrap(crafted);

    /**
     * @param text            where lines go (System.err), or null for none
     * @param jsonOut         the run's JSONL stream (-o jsonl), or null; each record reaches it in one write, so
     *                        records of the results written by another thread never tear it
     * @param startRealtimeNs the run's start on the wire clock (WireClock.realtimeNs())
     */
    public PacketTraceWriter(Appendable text, java.io.OutputStream jsonOut, long startRealtimeNs) {
        this.text = text;
        this.jsonOut = jsonOut;
        this.startRealtimeNs = startRealtimeNs;
        try {
            this.json = jsonOut == null ? null
                    : new com.fasterxml.jackson.core.JsonFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .createGenerator(jsonBuffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json != null) json.setRootValueSeparator(null);
    }

    /** Probe i of a batch that was just sent: crafted again by the shim exactly as it went out. */
    @Override
    public synchronized void sent(ProbeBatch batch, int i) {
        int len = batch.craft(i, crafted);
        long ts = batch.sendTimestamp(i);
        trace.decode(Direction.SENT, ts > 0 ? ts - startRealtimeNs : 0, craftedBuffer, 0, len);
        write(ts < 0 ? (int) -ts : 0);
    }

    /** Packet i of a received batch. */
    @Override
    public synchronized void received(ReplyBatch batch, int i) {
        trace.decode(Direction.RECEIVED, batch.timestamp(i) - startRealtimeNs, batch.packets(), batch.packetOffset(i),
                batch.packetLength(i));
        write(0);
    }

    /** Any IP packet (header first), e.g. one a probe module builds itself. */
    public synchronized void packet(Direction direction, long realtimeNs, ByteBuffer b, int off, int len) {
        trace.decode(direction, realtimeNs - startRealtimeNs, b, off, len);
        write(0);
    }

    private void write(int sendErrno) {
        try {
            if (text != null) {
                line.setLength(0);
                trace.appendLine(line);
                if (sendErrno != 0) line.append(" NOT SENT (errno ").append(sendErrno).append(')');
                text.append(line).append('\n');
            }
            if (json != null) {
                trace.writeJson(json);
                json.flush();
                jsonBuffer.write('\n');
                jsonBuffer.writeTo(jsonOut);
                jsonBuffer.reset();
                jsonOut.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
