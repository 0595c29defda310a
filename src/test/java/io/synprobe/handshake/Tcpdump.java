package io.synprobe.handshake;

import io.synprobe.lab.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tcpdump capture inside a lab namespace, written to a pcap file: started before the packets, stopped by pid
 * after them, then read back twice, as tcpdump's own -vv text and as the raw bytes of each IP packet.
 */
public final class Tcpdump implements AutoCloseable {
    /** One captured packet: capture time and the IP packet (link header removed). */
    public record Frame(long nanos, byte[] ip) {
    }

    /**
     * Enough for every header the labs send; a small snapshot length keeps libpcap's ring slots small, so a burst
     * of probes does not overflow the ring ("packets dropped by kernel" with the default 256 KiB slots).
     */
    public static final int SNAPLEN = 512;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private final Path pcap;
    private int dropped = -1;

    private Tcpdump(Process process, BufferedReader out, Path pcap) {
        this.process = process;
        this.pcap = pcap;
        // tcpdump reports its drops only as it exits: read everything as it comes
        this.reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) output.append(line).append('\n');
            } catch (IOException e) {
                // closed by destroy(): what was read is kept
            }
        }, "tcpdump-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts capturing packets arriving on (inbound) {@code device} in {@code netns}, matching the BPF
     * {@code filter}; returns once tcpdump says it is listening.
     */
    public static Tcpdump start(String netns, String device, String filter, Path pcap) {
        List<String> cmd = List.of("ip", "netns", "exec", netns, "tcpdump", "-i", device, "-Q", "in", "-U", "--immediate-mode", "-nn",
                "-s", Integer.toString(SNAPLEN), "-B", "4096", "-w", pcap.toString(), filter);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.contains("listening on")) {
                p.destroyForcibly();
                throw new IllegalStateException("tcpdump did not start: " + line);
            }
            return new Tcpdump(p, r, pcap);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the capture (SIGTERM; tcpdump flushes the file and reports its drops). */
    @Override
    public void close() {
        if (dropped >= 0) return;
        // SIGTERM by pid, not Process.destroy(), which would also close the pipe tcpdump reports its drops on
        Shell.run(List.of("kill", "-TERM", Long.toString(process.pid())), null, 10);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(\\d+) packets? dropped by kernel")
                    .matcher(output);
            dropped = m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A capture that lost packets cannot show that a packet was absent: refuse to read one. */
    private void requireComplete() {
        close();
        if (dropped == Integer.MAX_VALUE) throw new IllegalStateException("tcpdump did not report its drops: " + output);
        if (dropped != 0) throw new IllegalStateException("tcpdump dropped " + dropped + " packets; the capture is incomplete");
    }

    public Path pcap() {
        return pcap;
    }

    /** tcpdump's -vv decode of the file, absolute sequence numbers, split into one text block per packet. */
    public List<String> verbose() {
        requireComplete();
        String text = Shell.check("tcpdump", "-vv", "-nn", "-S", "-r", pcap.toString());
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("reading from file")) continue;
            if (line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*")) {
                if (cur != null) blocks.add(cur.toString());
                cur = new StringBuilder();
            }
            if (cur != null) cur.append(line).append('\n');
        }
        if (cur != null) blocks.add(cur.toString());
        return blocks;
    }

    /** The packets of the file (Ethernet link type), in order. */
    public List<Frame> frames() {
        requireComplete();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
            int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            boolean nanoResolution = magic == 0xa1b23c4d;
            if (magic != 0xa1b2c3d4 && !nanoResolution) throw new IllegalStateException("not a pcap file: " + pcap);
            int linkType = b.getInt(20);
            if (linkType != 1) throw new IllegalStateException("link type " + linkType + " in " + pcap);
            List<Frame> frames = new ArrayList<>();
            int p = 24;
            while (p + 16 <= b.limit()) {
                long sec = b.getInt(p) & 0xffffffffL, frac = b.getInt(p + 4) & 0xffffffffL;
                int incl = b.getInt(p + 8);
                p += 16;
                int etherType = ((b.get(p + 12) & 0xff) << 8) | (b.get(p + 13) & 0xff);
                if (etherType != 0x0800 && etherType != 0x86dd) throw new IllegalStateException("ether type " + etherType);
                byte[] ip = new byte[incl - 14];
                b.get(p + 14, ip);
                frames.add(new Frame(sec * 1_000_000_000L + (nanoResolution ? frac : frac * 1000), ip));
                p += incl;
            }
            return frames;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
