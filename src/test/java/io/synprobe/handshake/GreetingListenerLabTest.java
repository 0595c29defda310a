package io.synprobe.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import io.synprobe.nativeio.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The greeting lab service: real kernel connections from the prober namespace get the line, and each is counted. */
@Tag("privileged")
class GreetingListenerLabTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyConnectionIsGreetedAndCountedOnBothFamilies() throws Exception {
        Privileged.require("ip", "nft");
        try (ScanLab lab = ScanLab.start(1);
             GreetingListener greeter = GreetingListener.start(lab.targetNetns(), "220 synprobe lab ESMTP ready", 2525, 2222)) {
            List<SocketChannel> open = new ArrayList<>();
            try {
                for (String target : List.of("198.18.0.2", "198.18.0.2", "198.18.0.2", "2001:db8::2", "2001:db8::2")) {
                    SocketChannel c = connect(lab, target, 2525);
                    open.add(c);
                    byte[] got = readGreeting(c, greeter.greetingBytes().length);
                    assertArrayEquals(greeter.greetingBytes(), got, target);
                    assertEquals("220 synprobe lab ESMTP ready\\r\\n", Banner.escape(got), "the banner as reported");
                }
                open.add(connect(lab, "2001:db8::2", 2222));
                assertThrows(ConnectException.class, () -> connect(lab, "198.18.0.2", 2626), "nobody listens on 2626");
                assertTrue(greeter.awaitAccepts(6, Duration.ofSeconds(10)), "accepts: " + greeter.accepts());
                Thread.sleep(200);
                assertEquals(6, greeter.accepts());
                assertEquals(5, greeter.accepts(2525));
                assertEquals(1, greeter.accepts(2222));
                assertEquals(0, greeter.accepts(2626));
            } finally {
                for (SocketChannel c : open) c.close();
            }
        }
    }

    /** A socket made inside the prober namespace (it keeps that namespace), connected from there. */
    static SocketChannel connect(ScanLab lab, String host, int port) throws IOException {
        SocketChannel c = NetworkNamespace.run(lab.proberNetnsPath(), () -> {
            try {
                return SocketChannel.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            c.socket().connect(new InetSocketAddress(host, port), 5000);
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    static byte[] readGreeting(SocketChannel c, int n) throws IOException {
        c.socket().setSoTimeout(5000);
        ByteBuffer b = ByteBuffer.allocate(n);
        java.io.InputStream in = c.socket().getInputStream();
        while (b.hasRemaining()) {
            int r = in.read();
            if (r < 0) break;
            b.put((byte) r);
        }
        return b.array();
    }
}
