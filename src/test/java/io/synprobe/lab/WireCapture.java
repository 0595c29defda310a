package io.synprobe.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * tcpdump inside a lab namespace, writing a pcap file with nanosecond kernel timestamps; {@link #stop()} ends it and
 * returns the TCP segments it saw. The ground truth of what was on the wire and when, independent of synprobe.
 */
public final class WireCapture implements AutoCloseable {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    /** One TCP segment on the wire; seq and ack unsigned 32-bit. */
    public record Segment(long timeNs, InetAddress src, int sport, InetAddress dst, int dport, long seq, long ack,
                          int flags) {
        public boolean is(int set, int mask) {
            return (flags & mask) == set;
        }

        public boolean isBareSyn() {
            return is(SYN, SYN | ACK | RST | FIN);
        }

        public boolean isSynAck() {
            return is(SYN | ACK, SYN | ACK | RST);
        }

        public boolean isRst() {
            return (flags & RST) != 0;
        }
    }

    private final ChildProcess tcpdump;
    private final Path file;
    private List<Segment> segments;

    private WireCapture(ChildProcess tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /**
     * Starts capturing on the device of the namespace with a pcap filter; returns once tcpdump is listening. Not in
     * immediate mode: waking tcpdump for every packet puts microseconds between its stamp of an outgoing packet and
     * the driver's transmit stamp (seen here: a median 13 us instead of 6 us against synprobe's stamps).
     */
    public static WireCapture start(String netns, String device, String filter) throws IOException {
        Privileged.require("tcpdump");
        Path file = Files.createTempFile("synprobe-wire-", ".pcap");
        ChildProcess p = ChildProcess.start(List.of("ip", "netns", "exec", netns, "tcpdump", "-i", device, "-n", "-U",
                "-B", "8192", "--time-stamp-precision=nano", "-w", file.toString(), filter));
        try {
            p.awaitLine(l -> l.contains("listening on"), Duration.ofSeconds(10), "tcpdump's 'listening on'");
        } catch (RuntimeException e) {
            p.close();
            Files.deleteIfExists(file);
            throw e;
        }
        return new WireCapture(p, file);
    }

    /**
     * Stops tcpdump, checks that it dropped nothing, and parses what it wrote. Packets reach tcpdump when a ring block
     * is handed over, at the latest after its 1 s timeout, so everything up to 1.5 s before this call is in the file.
     */
    public List<Segment> stop() throws IOException {
        if (segments != null) return segments;
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        tcpdump.signal("TERM");
        int exit = tcpdump.waitFor(Duration.ofSeconds(10));
        String report = tcpdump.output();
        if (exit != 0) throw new IllegalStateException("tcpdump exited with " + exit + ": " + report);
        if (!java.util.regex.Pattern.compile("(?m)^0 packets dropped by kernel").matcher(report).find()) {
            throw new IllegalStateException("tcpdump lost packets, the wire's truth is incomplete: " + report);
        }
        segments = parse(Files.readAllBytes(file));
        return segments;
    }

    @Override
    public void close() throws IOException {
        tcpdump.close();
        Files.deleteIfExists(file);
    }

    /** The TCP segments of a pcap file (raw IP, Ethernet or Linux cooked link types; IPv4 and IPv6). */
    static List<Segment> parse(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == 0x4d3cb2a1 || magic == 0xd4c3b2a1) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        long fracToNs = switch (magic) {
            case 0xa1b23c4d -> 1;
            case 0xa1b2c3d4 -> 1000;
            default -> throw new IllegalArgumentException("not a pcap file, magic " + Integer.toHexString(magic));
        };
        int linkType = b.getInt(20);
        int linkHeader = switch (linkType) {
            case 101, 12, 14, 228, 229 -> 0; // raw IP (tun devices)
            case 1 -> 14; // Ethernet
            case 113 -> 16; // Linux cooked
            case 276 -> 20; // Linux cooked v2
            default -> throw new IllegalArgumentException("unsupported pcap link type " + linkType);
        };
        List<Segment> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= pcap.length) {
            long t = (b.getInt(pos) & 0xffffffffL) * 1_000_000_000L + (b.getInt(pos + 4) & 0xffffffffL) * fracToNs;
            int len = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + len;
            if (pos > pcap.length) break; // a record cut off by the stop
            Segment s = tcp(t, Arrays.copyOfRange(pcap, start + linkHeader, start + len));
            if (s != null) out.add(s);
        }
        return out;
    }

    private static Segment tcp(long t, byte[] p) {
        if (p.length < 20) return null;
        ByteBuffer b = ByteBuffer.wrap(p);
        int version = (p[0] & 0xff) >> 4, l4;
        byte[] src, dst;
        if (version == 4) {
            l4 = (p[0] & 0x0f) * 4;
            if (p[9] != 6 || (b.getShort(6) & 0x3fff) != 0) return null;
            src = Arrays.copyOfRange(p, 12, 16);
            dst = Arrays.copyOfRange(p, 16, 20);
        } else if (version == 6 && p.length >= 40) {
            l4 = 40;
            if (p[6] != 6) return null;
            src = Arrays.copyOfRange(p, 8, 24);
            dst = Arrays.copyOfRange(p, 24, 40);
        } else {
            return null;
        }
        if (p.length < l4 + 14) return null;
        return new Segment(t, inet(src), b.getShort(l4) & 0xffff, inet(dst), b.getShort(l4 + 2) & 0xffff,
                b.getInt(l4 + 4) & 0xffffffffL, b.getInt(l4 + 8) & 0xffffffffL, p[l4 + 13] & 0xff);
    }

    private static InetAddress inet(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
