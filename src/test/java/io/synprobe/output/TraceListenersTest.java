package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.synprobe.result.Reason;
import io.synprobe.result.Hop;
import io.synprobe.result.TraceListener;
import io.synprobe.result.TraceInfo;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TraceListenersTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static Hop hop(int ttl, Hop.Reply... replies) {
        return new Hop(ttl, Arrays.asList(replies));
    }

    static String render(TraceListener l, ByteArrayOutputStream out, Hop... hops) throws Exception {
        l.begin(new TraceInfo(ip("2001:db8:3::2"), 443, 16, 3, Duration.ofSeconds(1)));
        for (Hop h : hops) l.hop(h);
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    static final Hop[] PATH;

    static {
        try {
            PATH = new Hop[] {
                    hop(1, new Hop.Reply(ip("2001:db8:1::1"), 52, Reason.TIME_EXCEEDED), null,
                            new Hop.Reply(ip("2001:db8:1::1"), 1030, Reason.TIME_EXCEEDED)),
                    hop(2, null, null, null),
                    hop(3, new Hop.Reply(ip("2001:db8:2::1"), 70, Reason.TIME_EXCEEDED),
                            new Hop.Reply(ip("2001:db8:2::7"), 71, Reason.TIME_EXCEEDED), null),
                    hop(4, null, new Hop.Reply(ip("2001:db8:3::2"), 101, Reason.RESET),
                            new Hop.Reply(ip("2001:db8:3::2"), 99, Reason.RESET))};
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void tableLooksLikeTcptraceroute() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals("""
                Tracing the path to 2001:db8:3::2 on TCP port 443, 16 hops max
                 1  2001:db8:1::1  0.052 ms *  1.030 ms
                 2  * * *
                 3  2001:db8:2::1  0.070 ms 2001:db8:2::7  0.071 ms *
                 4  * 2001:db8:3::2 [closed]  0.101 ms  0.099 ms
                """, render(OutputFormat.TABLE.create(ResultKind.TRACE, out, Fixtures.opts()), out, PATH));
    }

    @Test
    void unreachableEndsAreNamedByTheirReason() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = render(OutputFormat.TABLE.create(ResultKind.TRACE, out, Fixtures.opts()), out,
                hop(1, new Hop.Reply(ip("198.18.1.1"), 2000, Reason.HOST_UNREACH), null, null));
        assertEquals(" 1  198.18.1.1 [host-unreach]  2.000 ms * *", text.lines().toList().get(1));
    }

    @Test
    void jsonLinesHaveNullsForSilence() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals("""
                {"type":"hop","ttl":1,"addr":"2001:db8:1::1","rtt_us":[52,null,1030],"state":null,"reason":null}
                {"type":"hop","ttl":2,"addr":null,"rtt_us":[null,null,null],"state":null,"reason":null}
                {"type":"hop","ttl":3,"addr":"2001:db8:2::1","rtt_us":[70,71,null],"state":null,"reason":null}
                {"type":"hop","ttl":4,"addr":"2001:db8:3::2","rtt_us":[null,101,99],"state":"closed","reason":"reset"}
                """, render(OutputFormat.JSONL.create(ResultKind.TRACE, out, Fixtures.opts()), out, PATH));
        assertEquals(4, Fixtures.jsonLines(out.toString(StandardCharsets.UTF_8)).size(), "Jackson reads every line");
    }
}
