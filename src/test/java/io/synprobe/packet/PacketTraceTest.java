package io.synprobe.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.PacketTrace.ChecksumStatus;
import io.synprobe.packet.PacketTrace.Direction;
import io.synprobe.packet.PacketTrace.Kind;
import io.synprobe.testutil.Packets;
import io.synprobe.testutil.Packets.TcpChecksum;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PacketTrace on forged packets (built by testutil.Packets, whose checksum code is independent) and crafted probes. */
class PacketTraceTest {
    static final byte[] LINUX_SYNACK_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 7, 1, 3, 3, 7};

    final PacketTrace t = new PacketTrace();

    @Test
    void synAckWithLinuxOptionsReadsEveryHeaderField() throws Exception {
        ByteBuffer p = Packets.tcp().from("198.18.0.2", 22).to("198.18.0.1", 40000).seq(3_000_000_000L).ack(0xDEADBEF0L)
                .flags(Packets.SYN | Packets.ACK).window(65160).ttl(63).ipId(0x4d2).tcpOptions(LINUX_SYNACK_OPTIONS).build();
        t.decode(Direction.RECEIVED, 1_234_567, p, 0, p.limit());
        assertEquals(Kind.TCP, t.kind);
        assertEquals("RCVD 0.001234s TCP 198.18.0.2:22 > 198.18.0.1:40000 SYN|ACK seq=3000000000 ack=3735928560 off=40"
                + " win=65160 cksum=0x" + String.format("%04x", p.getShort(36) & 0xffff) + "(valid) urg=0"
                + " opts=[mss 1460,sackOK,TS val 4660 ecr 7,nop,wscale 7] data=0 ttl=63 id=1234 iplen=60 DF", t.line());
        JsonNode j = json(t);
        assertEquals("packet", j.get("type").asText());
        assertEquals("received", j.get("dir").asText());
        assertEquals(1234, j.get("elapsed_us").asLong());
        assertEquals("198.18.0.2", j.get("src").asText());
        assertEquals(40000, j.get("dport").asInt());
        assertEquals(3_000_000_000L, j.get("seq").asLong());
        assertEquals(0xDEADBEF0L, j.get("ack").asLong());
        assertEquals(40, j.get("data_offset").asInt());
        assertEquals("[\"SYN\",\"ACK\"]", j.get("flags").toString());
        assertEquals(65160, j.get("window").asInt());
        assertTrue(j.get("checksum_valid").asBoolean());
        assertEquals(0, j.get("urgent").asInt());
        assertEquals("{\"mss\":1460,\"wscale\":7,\"sack_permitted\":true,\"ts_val\":4660,\"ts_ecr\":7}", j.get("options").toString());
        assertEquals(63, j.get("ttl").asInt());
        assertEquals(1234, j.get("ip_id").asInt());
        assertEquals(60, j.get("ip_length").asInt());
        assertTrue(j.get("df").asBoolean());
    }

    @Test
    void checksumVerdictsValidPartialAndBad() {
        for (TcpChecksum mode : TcpChecksum.values()) {
            for (String[] pair : new String[][] {{"198.18.0.2", "198.18.0.1"}, {"2001:db8::2", "2001:db8::1"}}) {
                ByteBuffer p = Packets.tcp().from(pair[0], 80).to(pair[1], 40001).flags(Packets.RST | Packets.ACK)
                        .tcpChecksum(mode).build();
                t.decode(Direction.RECEIVED, 0, p, 0, p.limit());
                ChecksumStatus expected = switch (mode) {
                    case CORRECT -> ChecksumStatus.VALID;
                    case OFFLOADED -> ChecksumStatus.PARTIAL;
                    default -> ChecksumStatus.BAD;
                };
                assertEquals(expected, t.checksumStatus, mode + " " + pair[0]);
                ByteBuffer good = Packets.tcp().from(pair[0], 80).to(pair[1], 40001).flags(Packets.RST | Packets.ACK).build();
                int ipHeader = pair[0].contains(":") ? 40 : 20;
                assertEquals(good.getShort(ipHeader + 16) & 0xffff, t.checksumCorrect, "the value the field should hold");
            }
        }
        ByteBuffer cut = Packets.tcp().truncateTo(30).build();
        t.decode(Direction.RECEIVED, 0, cut, 0, cut.limit());
        assertEquals(ChecksumStatus.UNCHECKED, t.checksumStatus, "a cut packet cannot be summed");
        assertTrue(t.truncated);
    }

    @Test
    void crafterOutputDecodesToWhatWasAsked() throws Exception {
        ProbeBatch batch = new ProbeBatch(2);
        byte[] s6 = InetAddress.getByName("2001:db8::1").getAddress(), d6 = InetAddress.getByName("2001:db8:0:1::2").getAddress();
        batch.add(s6, d6, 50001, 443, 0x87654321, 0, ProbeBatch.SYN, 5, 0xBEEF, 29200, 1440);
        byte[] s4 = InetAddress.getByName("198.18.0.1").getAddress(), d4 = InetAddress.getByName("198.18.0.9").getAddress();
        batch.add(s4, d4, 40000, 81, 11, 0x77, 0x04 | 0x10, 64, 4660, 0, 0);
        byte[] out = new byte[64];
        int len = batch.craft(0, out);
        t.decode(Direction.SENT, 2_000_000_000L, out, 0, len);
        assertEquals("SENT 2.000000s TCP6 [2001:db8::1]:50001 > [2001:db8:0:1::2]:443 SYN seq=2271560481 ack=0 off=24"
                + " win=29200 cksum=0x" + String.format("%04x", t.checksum) + "(valid) urg=0 opts=[mss 1440] data=0"
                + " hlim=5 flow=0x0beef iplen=64", t.line());
        len = batch.craft(1, out);
        t.decode(Direction.SENT, 0, out, 0, len);
        assertEquals(ChecksumStatus.VALID, t.checksumStatus);
        assertEquals("RST|ACK", PacketTrace.flagNames(new StringBuilder(), t.flags, '|').toString());
        assertEquals(0x77, t.ack);
        assertEquals(20, t.dataOffset);
        assertEquals(0, t.optionCount);
        assertFalse(t.df);
        assertEquals(4660, t.ipId);
    }

    @Test
    void icmpErrorsShowTypeCodeAndTheQuotedProbe() throws Exception {
        ByteBuffer probe = Packets.probe("198.18.0.1", 40002, "198.18.0.2", 83, 0xCAFEBABEL);
        ByteBuffer err = Packets.icmp(3, 3).from("198.18.0.2").to("198.18.0.1").quoting(probe).build();
        t.decode(Direction.RECEIVED, 5_000, err, 0, err.limit());
        assertEquals(Kind.ICMP, t.kind);
        assertTrue(t.line().startsWith("RCVD 0.000005s ICMP 198.18.0.2 > 198.18.0.1 type=3 code=3 port-unreachable cksum=0x"),
                t.line());
        assertTrue(t.line().contains("(valid) quoting TCP 198.18.0.1:40002 > 198.18.0.2:83 seq=3405691582 ttl=64"), t.line());
        JsonNode j = json(t);
        assertEquals("icmp", j.get("proto").asText());
        assertEquals("port-unreachable", j.get("icmp_name").asText());
        assertEquals(83, j.get("quoted").get("dport").asInt());
        assertEquals(0xCAFEBABEL, j.get("quoted").get("seq").asLong());

        ByteBuffer probe6 = Packets.probe("2001:db8::1", 40003, "2001:db8::2", 84, 9);
        ByteBuffer err6 = Packets.icmp(1, 1).from("2001:db8::2").to("2001:db8::1").quoting(probe6).build();
        t.decode(Direction.RECEIVED, 0, err6, 0, err6.limit());
        assertEquals("admin-prohibited", t.icmpName());
        assertEquals(ChecksumStatus.VALID, t.checksumStatus, "ICMPv6 checksum with its pseudo-header");
        assertTrue(t.line().contains("ICMP6 2001:db8::2 > 2001:db8::1 type=1 code=1 admin-prohibited"), t.line());
        assertTrue(t.line().contains("quoting TCP [2001:db8::1]:40003 > [2001:db8::2]:84 seq=9"), t.line());
        ByteBuffer bad = Packets.icmp(3, 13).badChecksum().quoting(probe).build();
        t.decode(Direction.RECEIVED, 0, bad, 0, bad.limit());
        assertEquals(ChecksumStatus.BAD, t.checksumStatus);
    }

    @Test
    void ipv6AddressesAreWrittenAsInetNtopWritesThem() throws Exception {
        String[][] cases = {{"2001:db8::1", "2001:db8::1"}, {"::1", "::1"}, {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
                {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}, {"2001:db8:0:1:2:3:4:5", "2001:db8:0:1:2:3:4:5"},
                {"1:0:0:2:2:0:0:3", "1::2:2:0:0:3"}, {"0:0:0:0:0:0:0:0", "::"}, {"fe80:0:0:0:0:0:0:0", "fe80::"}, {"::2", "::2"},
                {"::ffff:0:0", "::ffff:0.0.0.0"}, {"0:0:0:0:0:0:102:304", "::1.2.3.4"}};
        for (String[] c : cases) {
            byte[] a = Packets.addr(c[0]);
            assertEquals(c[1], PacketTrace.Addresses.append(new StringBuilder(), 6, a).toString(), c[0]);
        }
    }

    @Test
    void decodingAllocatesNothingAndNeverThrows() {
        ByteBuffer synAck = Packets.tcp().tcpOptions(LINUX_SYNACK_OPTIONS).build();
        ByteBuffer err = Packets.icmp(3, 3).quoting(Packets.probe("198.18.0.1", 1, "198.18.0.2", 2, 3)).build();
        for (int i = 0; i < 20_000; i++) t.decode(Direction.RECEIVED, i, (i & 1) == 0 ? synAck : err, 0, synAck.limit());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            ByteBuffer b = (i & 1) == 0 ? synAck : err;
            t.decode(Direction.RECEIVED, i, b, 0, b.limit());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "decode allocated " + allocated + " bytes for 100,000 packets");

        Random rnd = new Random(13);
        byte[] junk = new byte[120];
        int tcp = 0;
        for (int i = 0; i < 50_000; i++) {
            rnd.nextBytes(junk);
            junk[0] = (byte) ((rnd.nextBoolean() ? 0x45 : 0x60) | (junk[0] & (rnd.nextInt(4) == 0 ? 0xff : 0)));
            if (rnd.nextBoolean()) junk[junk[0] >>> 4 == 6 ? 6 : 9] = (byte) (rnd.nextBoolean() ? 6 : 1);
            t.decode(Direction.RECEIVED, 0, junk, 0, 1 + rnd.nextInt(junk.length));
            assertNotNull(t.line());
            if (t.kind == Kind.TCP) tcp++;
        }
        assertTrue(tcp > 100, "random input reaches the TCP decoder: " + tcp);
    }

    static JsonNode json(PacketTrace t) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            t.writeJson(g);
        }
        assertFalse(w.toString().contains("\n"), "one line");
        return new ObjectMapper().readTree(w.toString());
    }
}
