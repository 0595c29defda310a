package io.synprobe.result;

import java.time.Instant;
import java.util.List;

/** What a scan was asked to do, handed to output modules before the first result. */
public record ScanInfo(List<String> commandLine, Instant start, long hostCount, int portCount, String portSpec,
                       String scanType, String version) {
}
