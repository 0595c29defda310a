package io.synprobe.check;

import io.synprobe.SynProbe;
import io.synprobe.SynProbe.ScanRequest;
import io.synprobe.result.PortResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs checks one scan each, in file order, and judges them. */
public final class CheckRunner {
    /** Runs one scan: {@link SynProbe#scan(ScanRequest)} for real, anything in tests. */
    public interface Scanner {
        List<PortResult> scan(ScanRequest request) throws IOException;
    }

    /** Told about each check as soon as it is judged. */
    public interface Listener {
        void checked(CheckResult result) throws IOException;
    }

    private final Scanner scanner;
    private final String netns;

    /** @param netns namespace name or path every check probes from, or null */
    public CheckRunner(Scanner scanner, String netns) {
        this.scanner = scanner;
        this.netns = netns;
    }

    public static CheckRunner live(String netns) {
        return new CheckRunner(SynProbe::scan, netns);
    }

    /** Every check, in order. */
    public List<CheckResult> run(List<Check> checks, Listener listener) throws IOException {
        List<CheckResult> out = new ArrayList<>();
        for (Check c : checks) {
            long start = System.nanoTime();
            List<PortResult> results = scanner.scan(c.request(netns));
            CheckResult r = CheckResult.of(c, results, (System.nanoTime() - start) / 1_000_000);
            out.add(r);
            listener.checked(r);
        }
        return out;
    }
}
