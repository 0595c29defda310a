package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanSummary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11: the per-host formats hold only what they will print. A million hosts that never answer must cost the
 * table nothing (measured as retained heap, with a positive control that the measurement sees retention), and
 * --show-down must write each of them as soon as it is known rather than at the end.
 */
class SilentHostsMemoryTest {
    static final int SILENT = 1_000_000;
    /** Retained heap allowed for a million silent hosts: well under one byte a host. */
    static final long SMALL = 4L << 20;

    static InetAddress host(int i) {
        try {
            // 198.18.0.0/15 holds 131,072 addresses: a million hosts need an IPv6 range (2001:db8::/32)
            byte[] b = new byte[16];
            b[0] = 0x20;
            b[1] = 0x01;
            b[2] = 0x0d;
            b[3] = (byte) 0xb8;
            b[12] = (byte) (i >>> 24);
            b[13] = (byte) (i >>> 16);
            b[14] = (byte) (i >>> 8);
            b[15] = (byte) i;
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static PortResult silent(InetAddress ip, int port) {
        return new PortResult(ip, port, Reason.NO_RESPONSE.state(), Reason.NO_RESPONSE, -1, -1);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aMillionSilentHostsKeepNothingInTheTable() throws Exception {
        int answering = 20_000;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PerHostSink sink = (PerHostSink) OutputFormat.TABLE.create(text, Fixtures.opts());
        sink.begin(Fixtures.info(SILENT + answering, "22"));
        long before = usedHeapAfterGc();
        for (int i = 0; i < SILENT; i++) sink.accept(silent(host(i), 22));
        long silentCost = usedHeapAfterGc() - before;
        assertTrue(silentCost < SMALL, "a million silent hosts retained " + silentCost + " bytes");
        assertEquals(0, sink.answeringHosts());
        assertEquals(0, sink.retainedResults());
        assertEquals(0, text.size(), "nothing printed for them either (the table has no header)");

        // positive control: the same measurement sees what answering hosts cost (they are held to the end)
        long beforeAnswers = usedHeapAfterGc();
        for (int i = 0; i < answering; i++) {
            InetAddress ip = host(SILENT + i);
            sink.accept(new PortResult(ip, 22, Reason.RESET.state(), Reason.RESET, 64, 100 + i));
        }
        long answeringCost = usedHeapAfterGc() - beforeAnswers;
        assertEquals(answering, sink.answeringHosts());
        assertTrue(answeringCost > SMALL, "20,000 answering hosts retained only " + answeringCost + " bytes");

        sink.end(new ScanSummary(Fixtures.START, 1000, SILENT + answering, answering, SILENT + answering, 0,
                answering, 0, 0, answering, SILENT, false));
        sink.close();
        String out = text.toString(StandardCharsets.UTF_8);
        assertEquals(answering, out.lines().filter(l -> l.startsWith("synprobe scan report for ")).count());
        assertTrue(out.endsWith("1020000 IP addresses (20000 hosts up) scanned in 1.00 seconds; 1000000 hosts never"
                + " answered and are not shown (--show-down lists them)\n"), out.substring(out.length() - 300));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void showDownStreamsAMillionSilentHostsWithoutHoldingThem() throws Exception {
        CountingStream out = new CountingStream();
        PerHostSink sink = (PerHostSink) OutputFormat.TABLE.create(out, Fixtures.opts().withShowDown(true));
        sink.begin(Fixtures.info(SILENT, "22"));
        long before = usedHeapAfterGc();
        for (int i = 0; i < SILENT; i++) {
            sink.accept(silent(host(i), 22));
            if (i < 3 || i % 100_000 == 0) {
                assertEquals("synprobe scan report for " + Addresses.text(host(i)) + " [host down]\n", out.last,
                        "written as soon as its one port was silent");
            }
            assertEquals(i + 1L, out.records, "one record per silent host, at once");
        }
        long cost = usedHeapAfterGc() - before;
        assertEquals(0, sink.pendingSilentHosts());
        assertTrue(cost < SMALL, "streaming a million down hosts retained " + cost + " bytes");
        sink.close();
    }

    @Test
    void showDownWithSeveralPortsWritesAHostAfterItsLastSilentPort() throws IOException {
        CountingStream out = new CountingStream();
        PerHostSink sink = (PerHostSink) OutputFormat.TABLE.create(out, Fixtures.opts().withShowDown(true));
        sink.begin(Fixtures.info(3, "1-3"));
        InetAddress a = host(1), b = host(2), c = host(3);
        sink.accept(silent(a, 1));
        sink.accept(silent(b, 1));
        sink.accept(silent(c, 1));
        sink.accept(silent(a, 2));
        assertEquals(0, out.records);
        assertEquals(3, sink.pendingSilentHosts());
        sink.accept(silent(a, 3));
        assertEquals(1, out.records);
        assertEquals("synprobe scan report for 2001:db8::1 [host down]\n", out.last);
        sink.accept(new PortResult(b, 2, Reason.SYN_ACK.state(), Reason.SYN_ACK, 64, 10));
        assertEquals(1, sink.pendingSilentHosts(), "b answered: it is a ledger now, no longer counted as silent");
        sink.accept(silent(b, 3));
        sink.accept(silent(c, 2));
        sink.accept(silent(c, 3));
        assertEquals("synprobe scan report for 2001:db8::3 [host down]\n", out.last);
        assertEquals(0, sink.pendingSilentHosts());
        sink.close();
        assertFalse(out.text.toString().contains("2001:db8::2 [host down]"), out.text.toString());
        assertTrue(out.text.toString().contains("synprobe scan report for 2001:db8::2\nHost is up"), out.text.toString());
    }

    /** Counts the records (one write each) and keeps the text of the last one; the rest only while small. */
    static final class CountingStream extends OutputStream {
        long records;
        String last = "";
        final StringBuilder text = new StringBuilder();

        @Override
        public void write(int b) {
            throw new AssertionError("records come whole, not byte by byte");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            records++;
            last = new String(b, off, len, StandardCharsets.UTF_8);
            if (text.length() < 1 << 16) text.append(last);
        }
    }
}
