package io.synprobe.cli;

import io.synprobe.engine.Scanner;
import java.util.Locale;

/** Progress on standard error: redrawn in place on a terminal, a plain line every few seconds otherwise. */
final class Progress {
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(Scanner engine) {
        boolean tty = System.console() != null;
        long periodMs = tty ? 500 : 5000;
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) return;
                String line = format(engine.progress());
                if (tty) System.err.print("\r" + line + "\033[K");
                else System.err.println(line);
            }
            if (tty) System.err.print("\r\033[K");
        }, "synprobe-progress");
        thread.setDaemon(true);
    }

    static Progress start(Scanner engine) {
        Progress p = new Progress(engine);
        p.thread.start();
        return p;
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (System.console() != null) System.err.print("\r\033[K");
    }

    static String format(Scanner.Progress p) {
        double secs = p.elapsedNanos() / 1e9;
        double rate = secs > 0 ? p.sent() / secs : 0;
        double pct = p.total() == 0 ? 100 : 100.0 * p.finished() / p.total();
        String eta = "-";
        if (pct > 0 && pct < 100) eta = String.format(Locale.ROOT, "%.0fs", secs * (100 - pct) / pct);
        return String.format(Locale.ROOT, "synprobe: %d/%d probes sent (%d retransmits), %d replies, %.0f pps, %.1f%% done, ETA %s",
                p.sent(), p.total(), p.retransmits(), p.replies(), rate, pct, eta);
    }
}
