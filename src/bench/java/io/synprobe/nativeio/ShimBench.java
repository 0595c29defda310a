package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call cost of the shim through each binding (one JVM fork per binding). Three kinds of figures:
 * the bare call (arguments the shim refuses or an empty batch, so nothing but the binding is measured), the
 * clock read, and real batches of SYNs sent on loopback (to 127.0.0.1, a port nobody listens on) and a receive
 * poll on an empty socket. Needs root (raw sockets). Run by scripts/bench-binding.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ShimBench {
    @Param({"jnr", "ffm"})
    public String binding;

    Shim shim;
    ProbeBatch one;
    ProbeBatch batch64;
    NativeBuffer oneView;
    NativeBuffer batch64View;
    NativeBuffer fds;
    NativeBuffer slots;
    int send4 = -1;
    int recv4 = -1;

    @Setup
    public void setUp() {
        shim = NativeLoader.load(binding);
        byte[] lo = {127, 0, 0, 1};
        one = new ProbeBatch(1);
        one.addSyn(lo, lo, 61000, 9, 1, 64, 0, 1024, 1460);
        batch64 = new ProbeBatch(64);
        for (int i = 0; i < 64; i++) batch64.addSyn(lo, lo, 61000 + i, 9, i, 64, 0, 1024, 1460);
        oneView = shim.wrap(one.buffer());
        batch64View = shim.wrap(batch64.buffer());
        send4 = check(shim.openSend(4));
        recv4 = check(shim.openRecv(4, RECV_TCP, 1 << 20));
        // Only TCP to local port 1 reaches this socket: the loopback RSTs to our SYNs never do, so it stays empty.
        check(shim.filterTcpPorts(recv4, 4, 1, 1));
        ByteBuffer table = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
        table.putInt(0, recv4).putInt(4, 4).putInt(8, 6);
        fds = shim.wrap(table);
        slots = shim.wrap(ByteBuffer.allocateDirect(256 * SLOT_SIZE));
    }

    private static int check(int rc) {
        if (rc < 0) throw new IllegalStateException("shim call failed: errno " + -rc + " (the benchmark needs root)");
        return rc;
    }

    @TearDown
    public void tearDown() {
        if (send4 >= 0) shim.close(send4);
        if (recv4 >= 0) shim.close(recv4);
    }

    /** sp_now_ns: a vDSO clock read; critical downcall under FFM. */
    @Benchmark
    public long nowNs() {
        return shim.nowNs();
    }

    /** sp_send_batch with n = 0: the call with its buffer argument and nothing to send. */
    @Benchmark
    public int sendBatchEmpty() {
        return shim.sendBatch(send4, -1, oneView, 0);
    }

    /** sp_recv_batch refused at once (no sockets): the five-argument call, critical under FFM (timeout 0). */
    @Benchmark
    public int recvBatchBareCall() {
        return shim.recvBatch(fds, 0, slots, 256, 0);
    }

    /** sp_recv_batch polling one empty raw socket without waiting: the receive loop's drain call. */
    @Benchmark
    public int recvBatchEmptySocket() {
        return shim.recvBatch(fds, 1, slots, 256, 0);
    }

    /** One SYN crafted and sent through sendmmsg on loopback. */
    @Benchmark
    public int sendBatch1() {
        return shim.sendBatch(send4, -1, oneView, 1);
    }

    /** 64 SYNs in one sendmmsg on loopback (divide by 64 for the per-probe cost). */
    @Benchmark
    public int sendBatch64() {
        return shim.sendBatch(send4, -1, batch64View, 64);
    }
}
