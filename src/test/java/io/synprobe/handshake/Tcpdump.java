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

    private final Process process;
    private final Path pcap;

    private Tcpdump(Process process, Path pcap) {
        this.process = process;
        this.pcap = pcap;
    }

    /**
     * Starts capturing packets arriving on (inbound) {@code device} in {@code netns}, matching the BPF
     * {@code filter}; returns once tcpdump says it is listening.
     */
    public static Tcpdump start(String netns, String device, String filter, Path pcap) {
        List<String> cmd = List.of("ip", "netns", "exec", netns, "tcpdump", "-i", device, "-Q", "in", "-U", "--immediate-mode", "-nn",
                "-s", "0", "-w", pcap.toString(), filter);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.contains("listening on")) {
                p.destroyForcibly();
                throw new IllegalStateException("tcpdump did not start: " + line);
            }
            return new Tcpdump(p, pcap);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the capture (SIGTERM; tcpdump flushes the file). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path pcap() {
        return pcap;
    }

    /** tcpdump's -vv decode of the file, absolute sequence numbers, split into one text block per packet. */
    public List<String> verbose() {
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
