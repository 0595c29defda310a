package io.synprobe.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.testutil.Packets;
import java.io.StringWriter;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The writer the send and receive loops call: one stderr line and one JSONL record per packet, kernel times. */
class PacketTraceWriterTest {
    @Test
    void sentProbesAndReceivedRepliesBecomeLinesAndRecords() throws Exception {
        long start = 1_700_000_000_000_000_000L;
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        {
            PacketTraceWriter w = new PacketTraceWriter(text, out, start);
            ProbeBatch probes = new ProbeBatch(2);
            byte[] us = InetAddress.getByName("198.18.0.1").getAddress(), them = InetAddress.getByName("198.18.0.2").getAddress();
            probes.addSyn(us, them, 40000, 22, 0x1234, 64, 99, 1024, 1460);
            probes.addSyn(us, them, 40000, 23, 0x5678, 64, 100, 1024, 1460);
            probes.setSendTimestamp(0, start + 1_500_000);
            probes.setSendTimestamp(1, -1); // EPERM: refused by the local firewall
            w.sent(probes, 0);
            w.sent(probes, 1);
            ReplyBatch replies = new ReplyBatch(1);
            replies.put(0, Packets.bytes(Packets.tcp().from("198.18.0.2", 22).to("198.18.0.1", 40000).seq(7).ack(0x1235)
                    .flags(Packets.SYN | Packets.ACK).build()), start + 1_750_000);
            w.received(replies, 0);
        }
        String[] lines = text.toString().split("\n");
        assertEquals(3, lines.length, text.toString());
        assertTrue(lines[0].startsWith("SENT 0.001500s TCP 198.18.0.1:40000 > 198.18.0.2:22 SYN seq=4660 ack=0 off=24 win=1024"), lines[0]);
        assertTrue(lines[0].endsWith("(valid) urg=0 opts=[mss 1460] data=0 ttl=64 id=99 iplen=44"), lines[0]);
        assertTrue(lines[1].endsWith(" NOT SENT (errno 1)"), lines[1]);
        assertTrue(lines[2].startsWith("RCVD 0.001750s TCP 198.18.0.2:22 > 198.18.0.1:40000 SYN|ACK seq=7 ack=4661"), lines[2]);
        String[] records = out.toString().split("\n");
        assertEquals(3, records.length, out.toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(records[0]), last = m.readTree(records[2]);
        assertEquals("sent", first.get("dir").asText());
        assertEquals(1500, first.get("elapsed_us").asLong());
        assertEquals(0x1234, first.get("seq").asLong());
        assertEquals("received", last.get("dir").asText());
        assertEquals(4661, last.get("ack").asLong());
        assertEquals("[\"SYN\",\"ACK\"]", last.get("flags").toString());
    }
}
