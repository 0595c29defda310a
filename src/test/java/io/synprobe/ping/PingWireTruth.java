package io.synprobe.ping;

import io.synprobe.lab.WireCapture.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each ping probe got, decided from a capture on the prober's side of the link alone. Probe k is the k-th SYN
 * that left for the target's port (ping sends one per interval, in order). A reply answers the probe whose SYN left
 * from the port it is addressed to and whose sequence number is its acknowledgment minus one; replies that answer no
 * probe are strays. The first answer within the timeout makes the probe answered; a first answer after it, late;
 * every further answer, a dup; no answer, lost.
 *
 * <p>The prober stops listening once every probe is answered or timed out ({@link #endNs()}); answers after that
 * cannot be in its output, so comparisons only count answers before {@code endNs - MARGIN_NS}, and leave out probes
 * with an answer within the margin of that end or of the timeout (which side of the line they fell is a matter of
 * microseconds).
 */
final class PingWireTruth {
    static final long MARGIN_NS = 50_000_000L;

    /** One probe on the wire: when its SYN left, and when each answer to it arrived. */
    record Probe(int k, long sentNs, int sport, long seq, List<Long> answersNs) {
        long rttNs(int i) {
            return answersNs.get(i) - sentNs;
        }
    }

    private final List<Probe> probes = new ArrayList<>();
    private final long timeoutNs;
    private final long endNs;
    private int strays;

    PingWireTruth(List<Segment> wire, InetAddress prober, InetAddress target, int port, long timeoutNs) {
        this.timeoutNs = timeoutNs;
        List<Segment> syns = wire.stream().filter(s -> s.isBareSyn() && s.src().equals(prober) && s.dst().equals(target)
                && s.dport() == port).sorted(Comparator.comparingLong(Segment::timeNs)).toList();
        Map<Long, Probe> bySportAndSeq = new HashMap<>();
        for (Segment s : syns) {
            Probe p = new Probe(probes.size(), s.timeNs(), s.sport(), s.seq(), new ArrayList<>());
            probes.add(p);
            if (bySportAndSeq.put(((long) s.sport() << 32) | s.seq(), p) != null) {
                throw new IllegalStateException("two probes with the same source port and sequence number: " + s);
            }
        }
        for (Segment s : wire) {
            if (!(s.isSynAck() || s.isRst()) || !s.src().equals(target) || s.sport() != port || !s.dst().equals(prober)) {
                continue;
            }
            Probe p = bySportAndSeq.get(((long) s.dport() << 32) | ((s.ack() - 1) & 0xffffffffL));
            if (p == null || s.timeNs() < p.sentNs()) strays++;
            else p.answersNs().add(s.timeNs());
        }
        long end = 0;
        for (Probe p : probes) {
            p.answersNs().sort(null);
            boolean onTime = !p.answersNs().isEmpty() && p.rttNs(0) < timeoutNs;
            end = Math.max(end, onTime ? p.answersNs().get(0) : p.sentNs() + timeoutNs);
        }
        this.endNs = end;
    }

    List<Probe> probes() {
        return probes;
    }

    int strays() {
        return strays;
    }

    long endNs() {
        return endNs;
    }

    /** True when the probe has an answer so near the timeout or the end of listening that either side may claim it. */
    boolean ambiguous(Probe p) {
        for (int i = 0; i < p.answersNs().size(); i++) {
            if (i == 0 && Math.abs(p.rttNs(0) - timeoutNs) < MARGIN_NS / 10) return true;
            if (i == 0 && p.rttNs(0) < timeoutNs) continue; // the prober waits for an answer in time
            if (Math.abs(p.answersNs().get(i) - endNs) < MARGIN_NS) return true;
        }
        return false;
    }

    /** An answer the prober must have seen: it came before the end of listening (less the margin). */
    boolean seen(long arrivalNs) {
        return arrivalNs < endNs - MARGIN_NS;
    }

    /** The wire's answers to a probe that the prober must have seen. */
    List<Long> seenAnswers(Probe p) {
        List<Long> a = new ArrayList<>();
        for (int i = 0; i < p.answersNs().size(); i++) {
            long t = p.answersNs().get(i);
            if (seen(t) || (i == 0 && t - p.sentNs() < timeoutNs)) a.add(t);
        }
        return a;
    }

    /** "answered", "late" or "lost", then "+N dup" when there were N further answers before the end. */
    String verdict(Probe p) {
        List<Long> a = seenAnswers(p);
        String v = a.isEmpty() ? "lost" : a.get(0) - p.sentNs() < timeoutNs ? "answered" : "late";
        return a.size() > 1 ? v + " +" + (a.size() - 1) + " dup" : v;
    }
}
