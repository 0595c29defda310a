package io.synprobe.runtime;

import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.result.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The kernel's connect() as a probe transport, for runs without raw-socket privileges (scan --connect, ping
 * --connect): non-blocking connects, completed or timed out through one selector. An accepted connection is
 * syn-ack, a refusal conn-refused, an unreachable network or host that reason; each is closed at once.
 */
public final class ConnectTransport implements AutoCloseable {
    /** Told how each connect ended; rttUs is the time connect() took, -1 when it timed out. */
    public interface Outcome {
        void ended(long handle, int attempt, Reason reason, long rttUs) throws IOException;
    }

    private record Attempt(long handle, int attempt, long startNanos) {
    }

    private final Selector selector;
    private final String netnsPath;

    public ConnectTransport(String netnsPath) throws IOException {
        this.selector = Selector.open();
        this.netnsPath = netnsPath;
    }

    public int inFlight() {
        return selector.keys().size();
    }

    /** Starts a connect; one that ends at once (loopback, an immediate refusal) is reported before this returns. */
    public void start(long handle, int attempt, InetAddress ip, int port, Outcome outcome) throws IOException {
        SocketChannel ch = NetworkNamespace.run(netnsPath, () -> {
            try {
                return SocketChannel.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ch.configureBlocking(false);
        long began = System.nanoTime();
        try {
            if (ch.connect(new InetSocketAddress(ip, port))) {
                ch.close();
                outcome.ended(handle, attempt, Reason.SYN_ACK, (System.nanoTime() - began) / 1000);
                return;
            }
        } catch (IOException e) {
            ch.close();
            outcome.ended(handle, attempt, reasonOf(e), (System.nanoTime() - began) / 1000);
            return;
        }
        ch.register(selector, SelectionKey.OP_CONNECT, new Attempt(handle, attempt, began));
    }

    /**
     * Waits up to waitMs for connects to end and reports them; then gives up on those older than timeoutNanos
     * (reason no-response).
     */
    public void poll(long waitMs, long timeoutNanos, Outcome outcome) throws IOException {
        if (waitMs > 0) selector.select(waitMs);
        else selector.selectNow();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            Attempt a = (Attempt) key.attachment();
            SocketChannel ch = (SocketChannel) key.channel();
            Reason reason;
            try {
                ch.finishConnect();
                reason = Reason.SYN_ACK;
            } catch (IOException e) {
                reason = reasonOf(e);
            }
            key.cancel();
            ch.close();
            outcome.ended(a.handle(), a.attempt(), reason, (System.nanoTime() - a.startNanos()) / 1000);
        }
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            Attempt a = (Attempt) key.attachment();
            if (!key.isValid() || now - a.startNanos() < timeoutNanos) continue;
            key.cancel();
            key.channel().close();
            outcome.ended(a.handle(), a.attempt(), Reason.NO_RESPONSE, -1);
        }
        selector.selectNow(); // flush the cancelled keys
    }

    /** What a failed connect() says about the port. */
    public static Reason reasonOf(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof NoRouteToHostException) return Reason.HOST_UNREACH;
        if (m.contains("Network is unreachable")) return Reason.NET_UNREACH;
        if (e instanceof ConnectException || m.contains("refused")) return Reason.CONN_REFUSED;
        if (e instanceof SocketException && m.contains("not permitted")) return Reason.ADMIN_PROHIBITED;
        return Reason.HOST_UNREACH;
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) key.channel().close();
        selector.close();
    }
}
