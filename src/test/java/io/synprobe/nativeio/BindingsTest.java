package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two bindings of the shim: which one a JVM picks, that forcing one the JVM cannot run fails with one clear
 * line, and that on a Java 22+ JVM both bindings, bound side by side over the very same direct buffers, make the
 * shim produce identical bytes. Nothing is sent.
 */
@Timeout(60)
class BindingsTest {
    static final int JAVA = Runtime.version().feature();

    @Test
    void theVersionPicksTheBindingUnlessOneIsForced() {
        assertEquals("ffm", NativeBinding.select(null, 25, true));
        assertEquals("ffm", NativeBinding.select("", 22, true));
        assertEquals("jnr", NativeBinding.select(null, 21, true), "FFM is final only from Java 22");
        assertEquals("jnr", NativeBinding.select(null, 17, true));
        assertEquals("jnr", NativeBinding.select(null, 25, false), "a jar built on JDK 17 alone has no FFM classes");
        assertEquals("jnr", NativeBinding.select("jnr", 25, true));
        assertEquals("jnr", NativeBinding.select(" jnr ", 17, false));
        assertEquals("ffm", NativeBinding.select("ffm", 25, true));
    }

    @Test
    void forcingABindingThatCannotRunSaysWhyInOneLine() {
        IllegalStateException old = assertThrows(IllegalStateException.class, () -> NativeBinding.select("ffm", 17, true));
        assertTrue(old.getMessage().contains("needs Java 22 or newer, and this is Java 17"), old.getMessage());
        IllegalStateException unbuilt = assertThrows(IllegalStateException.class, () -> NativeBinding.select("ffm", 25, false));
        assertTrue(unbuilt.getMessage().contains("built without the FFM binding"), unbuilt.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> NativeBinding.select("jni", 25, true));
        assertEquals("-Dsynprobe.binding must be jnr or ffm, not 'jni'", bad.getMessage());
        for (String m : new String[] {old.getMessage(), unbuilt.getMessage()}) assertTrue(!m.contains("\n"));
    }

    @Test
    void theProcessRunsOnTheSelectedBindingAndVersionSaysWhich() {
        String forced = System.getProperty(NativeBinding.PROPERTY, "");
        String expected = forced.isEmpty() ? (JAVA >= 22 && NativeBinding.ffmBuilt() ? "ffm" : "jnr") : forced;
        assertEquals(expected, NativeBinding.selected());
        assertEquals(expected, NativeLoader.lib().name());

        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.execute("--version");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code);
        assertTrue(text.contains("native binding: " + expected + " ("), text);
    }

    @Test
    void onJava22BothBindingsCraftIdenticalBytesFromTheSameBuffers() {
        Shim jnr = NativeLoader.load("jnr");
        assertEquals("jnr", jnr.name());
        if (JAVA < 22) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeLoader.load("ffm"));
            assertTrue(e.getMessage().contains("needs Java 22"), e.getMessage());
            return;
        }
        assertTrue(NativeBinding.ffmBuilt(), "a Java " + JAVA + " test run has the FFM classes (built by the ffm profiles)");
        Shim ffm = NativeLoader.load("ffm");
        assertEquals("ffm", ffm.name());

        ByteBuffer probe = ByteBuffer.allocateDirect(PROBE_SIZE).order(ByteOrder.nativeOrder());
        ByteBuffer outJ = ByteBuffer.allocateDirect(128), outF = ByteBuffer.allocateDirect(128);
        NativeBuffer probeJ = jnr.wrap(probe), probeF = ffm.wrap(probe);
        NativeBuffer outViewJ = jnr.wrap(outJ), outViewF = ffm.wrap(outF);
        Random rnd = new Random(5);
        byte[] a = new byte[128], b = new byte[128];
        int crafted = 0;
        for (int i = 0; i < 5_000; i++) {
            for (int k = 0; k < PROBE_SIZE; k++) probe.put(k, (byte) rnd.nextInt());
            if (rnd.nextInt(4) > 0) probe.put(PROBE_FAMILY, (byte) (rnd.nextBoolean() ? 4 : 6));
            for (int k = 0; k < 128; k++) {
                outJ.put(k, (byte) 0);
                outF.put(k, (byte) 0);
            }
            int lenJ = jnr.craft(probeJ, outViewJ, 128), lenF = ffm.craft(probeF, outViewF, 128);
            assertEquals(lenJ, lenF, "probe " + i);
            outJ.get(0, a);
            outF.get(0, b);
            assertArrayEquals(a, b, "probe " + i);
            if (lenJ > 0) crafted++;
        }
        assertTrue(crafted > 2_000, "most random records are valid probes: " + crafted);

        assertEquals(-22, ffm.sendBatch(-1, -1, probeF, -1), "EINVAL for a negative count, as through jnr-ffi");
        assertEquals(jnr.sendBatch(-1, -1, probeJ, MAX_BATCH + 1), ffm.sendBatch(-1, -1, probeF, MAX_BATCH + 1));
        ByteBuffer fds = ByteBuffer.allocateDirect(48), slots = ByteBuffer.allocateDirect(SLOT_SIZE);
        assertEquals(-22, ffm.recvBatch(ffm.wrap(fds), 0, ffm.wrap(slots), 1, 0), "no sockets: EINVAL, critical variant");
        assertEquals(-22, ffm.recvBatch(ffm.wrap(fds), 0, ffm.wrap(slots), 1, 5), "no sockets: EINVAL, blocking variant");
        assertEquals(jnr.strerror(1), ffm.strerror(1));
        assertEquals("Operation not permitted", ffm.strerror(1));
        long j = jnr.nowNs(), f = ffm.nowNs();
        assertTrue(f >= j && f - j < 1_000_000_000L, "one clock through both: " + j + " then " + f);

        ByteBuffer dst = ByteBuffer.allocateDirect(16), src = ByteBuffer.allocateDirect(16);
        dst.put(0, new byte[] {127, 0, 0, 9});
        assertEquals(0, ffm.routeSource(4, ffm.wrap(dst), ffm.wrap(src)));
        byte[] s = new byte[4];
        src.get(0, s);
        assertArrayEquals(new byte[] {127, 0, 0, 1}, s, "the kernel routes loopback from 127.0.0.1");
    }
}
