package io.synprobe.probe;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.FIN;
import static io.synprobe.testutil.Packets.PSH;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanIndex;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.Reason;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.Packets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The full handshake's classification with forged replies through the real decoder: a SYN-ACK counts only with
 * ack = cookie + 1, and a packet after it (data, FIN, RST) belongs to the connection only when its acknowledgment
 * is cookie + 1 or + 2 (our FIN) on the probe's own addresses and ports; the decoder keeps its payload.
 */
class HandshakeClassifierTest {
    static final String US = "198.18.0.1", TARGET = "198.18.0.2";
    static final int SPORT = 40000;
    final Cookies cookies = new Cookies(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    final TargetSet targets = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of(TARGET)));
    final ScanIndex index = new ScanIndex(targets, PortList.parse("22,23"), SPORT, 0, p -> true);
    final HandshakeModule module = new HandshakeModule(HandshakeModule.Close.RST, true, 256);
    final Classifier classifier = new Classifier(module, cookies.copy(), index);
    final DecodedReply reply = new DecodedReply();

    long cookie(int dport) {
        return cookies.compute(Packets.hi(US), Packets.lo(US), Packets.hi(TARGET), Packets.lo(TARGET), SPORT, dport, 0)
                & 0xffffffffL;
    }

    boolean classify(ByteBuffer packet) {
        assertEquals(DecodedReply.Kind.TCP, reply.decode(packet, 0, packet.limit(), packet.limit()), reply.invalidWhy);
        return classifier.classify(reply);
    }

    static Packets.Tcp fromServer(int port) {
        return Packets.tcp().from(TARGET, port).to(US, SPORT).seq(5000);
    }

    @Test
    void aSynAckCountsOnlyWhenItAcknowledgesTheCookie() {
        assertTrue(classify(fromServer(22).flags(SYN | ACK).ack(cookie(22) + 1).build()), "the genuine one");
        assertEquals(Reason.SYN_ACK, classifier.reason);
        assertFalse(classifier.segment);
        for (long wrong : new long[] {cookie(22), cookie(22) + 2, cookie(22) + 3, cookie(23) + 1, 0}) {
            assertFalse(classify(fromServer(22).flags(SYN | ACK).ack(wrong).build()), "SYN-ACK with ack " + wrong);
        }
    }

    @Test
    void dataCountsOnlyWithOurAcknowledgmentAndKeepsItsPayload() {
        byte[] greeting = "SSH-2.0-x\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(classify(fromServer(22).flags(PSH | ACK).ack(cookie(22) + 1).payload(greeting).build()));
        assertTrue(classifier.segment, "data after the handshake is a segment of the connection");
        assertEquals(greeting.length, reply.payloadLength);
        byte[] got = new byte[64];
        assertEquals(greeting.length, reply.copyPayload(got, 256));
        assertEquals("SSH-2.0-x\r\n", new String(got, 0, greeting.length, StandardCharsets.US_ASCII));

        for (long wrong : new long[] {cookie(22), cookie(22) + 3, cookie(22) - 1, cookie(22) ^ 0x10000, 1}) {
            assertFalse(classify(fromServer(22).flags(PSH | ACK).ack(wrong).payload(greeting).build()), "data with ack " + wrong);
        }
        // the right number on another port of the same host (another probe's 4-tuple) proves nothing
        assertFalse(classify(fromServer(23).flags(PSH | ACK).ack(cookie(22) + 1).payload(greeting).build()));
        // nor without the ACK flag; with a SYN it is the SYN-ACK itself, never a segment
        assertFalse(classify(fromServer(22).flags(PSH).ack(cookie(22) + 1).payload(greeting).build()));
        assertTrue(classify(fromServer(22).flags(SYN | PSH | ACK).ack(cookie(22) + 1).payload(greeting).build()));
        assertEquals(Reason.SYN_ACK, classifier.reason);
        assertFalse(classifier.segment);
    }

    @Test
    void theFinExchangeAndAPeersResetBelongToTheConnection() {
        assertTrue(classify(fromServer(22).flags(FIN | ACK).ack(cookie(22) + 1).build()), "the server closes first");
        assertTrue(classifier.segment);
        assertTrue(classify(fromServer(22).flags(FIN | ACK).ack(cookie(22) + 2).build()), "its FIN after ours");
        assertTrue(classifier.segment);
        assertTrue(classify(fromServer(22).flags(RST | ACK).ack(cookie(22) + 2).build()), "a RST after our FIN");
        assertTrue(classifier.segment);
        assertFalse(classify(fromServer(22).flags(FIN | ACK).ack(cookie(22) + 3).build()));
        // a SYN module never takes any of them: the segments exist only for the full handshake
        Classifier syn = new Classifier(SynModule.INSTANCE, cookies.copy(), index);
        ByteBuffer data = fromServer(22).flags(PSH | ACK).ack(cookie(22) + 1).payload(new byte[] {1, 2}).build();
        reply.decode(data, 0, data.limit(), data.limit());
        assertFalse(syn.classify(reply));
    }
}
