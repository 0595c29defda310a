package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pcap reader under the ping lab's truth: times, addresses, ports, sequence numbers and flags as written. */
class WireCaptureTest {
    static byte[] ipv4Syn() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put(0, (byte) 0x45).putShort(2, (short) 40).put(8, (byte) 64).put(9, (byte) 6);
        b.put(12, InetAddress.getByName("198.18.100.1").getAddress()).put(16, InetAddress.getByName("198.18.100.2").getAddress());
        b.putShort(20, (short) 40000).putShort(22, (short) 8443).putInt(24, 0xf0000001).putInt(28, 0);
        b.put(32, (byte) 0x50).put(33, (byte) WireCapture.SYN);
        return b.array();
    }

    static byte[] ipv6SynAck() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(0, (byte) 0x60).putShort(4, (short) 20).put(6, (byte) 6).put(7, (byte) 64);
        b.put(8, InetAddress.getByName("2001:db8:100::2").getAddress()).put(24, InetAddress.getByName("2001:db8:100::1").getAddress());
        b.putShort(40, (short) 8443).putShort(42, (short) 40000).putInt(44, 7).putInt(48, 0xf0000002);
        b.put(52, (byte) 0x50).put(53, (byte) (WireCapture.SYN | WireCapture.ACK));
        return b.array();
    }

    static byte[] pcap(int magic, int linkType, long[] times, byte[]... packets) {
        int size = 24;
        for (byte[] p : packets) size += 16 + p.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        for (int i = 0; i < packets.length; i++) {
            b.putInt((int) (times[i] / 1_000_000_000L)).putInt((int) (times[i] % 1_000_000_000L));
            b.putInt(packets[i].length).putInt(packets[i].length).put(packets[i]);
        }
        return b.array();
    }

    @Test
    void readsNanosecondRawIpCaptures() throws Exception {
        List<WireCapture.Segment> s = WireCapture.parse(pcap(0xa1b23c4d, 101, new long[] {1_795_000_000_123_456_789L,
                1_795_000_000_133_456_790L}, ipv4Syn(), ipv6SynAck()));
        assertEquals(2, s.size());
        WireCapture.Segment syn = s.get(0), synAck = s.get(1);
        assertEquals(1_795_000_000_123_456_789L, syn.timeNs());
        assertEquals(InetAddress.getByName("198.18.100.1"), syn.src());
        assertEquals(40000, syn.sport());
        assertEquals(8443, syn.dport());
        assertEquals(0xf0000001L, syn.seq());
        assertTrue(syn.isBareSyn() && !syn.isSynAck());
        assertEquals(InetAddress.getByName("2001:db8:100::2"), synAck.src());
        assertEquals(0xf0000002L, synAck.ack());
        assertTrue(synAck.isSynAck() && !synAck.isBareSyn());
        assertEquals(10_000_001L, synAck.timeNs() - syn.timeNs());
    }

    @Test
    void readsMicrosecondCapturesToo() throws Exception {
        // 5 s and 123 us: in a microsecond file the fraction field counts microseconds
        List<WireCapture.Segment> s = WireCapture.parse(pcap(0xa1b2c3d4, 101, new long[] {5_000_000_123L}, ipv4Syn()));
        assertEquals(5_000_123_000L, s.get(0).timeNs(), "microseconds are scaled to nanoseconds");
    }
}
