package io.synprobe.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.HandshakeModule;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The follow-up packets of a full handshake (ACK, RST, FIN+ACK with given sequence and acknowledgment numbers,
 * no payload) as the native shim crafts them, read back by the decoder (checksums verified), on both families;
 * each packet's token comes back with its send result. Nothing is sent.
 */
class FollowUpCraftTest {
    @Test
    void ackRstAndFinAreCraftedWithTheirNumbers() throws Exception {
        List<long[]> told = new ArrayList<>();
        FollowUps f = new FollowUps(8, (token, ts) -> told.add(new long[] {token, ts}));
        for (String[] pair : new String[][] {{"198.18.0.1", "198.18.0.2"}, {"2001:db8::1", "2001:db8::2"}}) {
            byte[] src = InetAddress.getByName(pair[0]).getAddress(), dst = InetAddress.getByName(pair[1]).getAddress();
            int[] flags = {HandshakeModule.ACK, HandshakeModule.RST, HandshakeModule.FIN | HandshakeModule.ACK};
            for (int i = 0; i < flags.length; i++) {
                f.add(src, dst, 40000 + i, 2222, 0xfffffff0L + i, 0x80000001L + i, flags[i], 61, 1024, 100 + i);
            }
            ProbeBatch b = f.take();
            assertEquals(3, b.size());
            byte[] pkt = new byte[128];
            DecodedReply r = new DecodedReply();
            for (int i = 0; i < 3; i++) {
                int len = b.craft(i, pkt);
                assertEquals(src.length == 4 ? 40 : 60, len, "no options, no payload");
                assertFalse(r.decode(ByteBuffer.wrap(pkt, 0, len), 0, len, len) == DecodedReply.Kind.INVALID, r.invalidWhy);
                assertEquals(flags[i], r.flags);
                assertEquals(0xfffffff0L + i, r.seq);
                assertEquals(0x80000001L + i, r.ack);
                assertEquals(40000 + i, r.srcPort);
                assertEquals(2222, r.dstPort);
                assertEquals(1024, r.window);
                assertEquals(61, r.ttl);
                assertEquals(0, r.payloadLength);
                f.sent(i, 1_000 + i);
            }
            assertEquals(0, f.take().size(), "taken once");
        }
        assertEquals(6, told.size());
        assertEquals(102, told.get(2)[0]);
        assertEquals(1_002, told.get(2)[1]);
    }
}
