package io.synprobe.cli;

import io.synprobe.engine.ResumePoint;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What an interrupted scan needs to continue: the original arguments (with the seed made explicit), the
 * permutation position and the probes that were still unanswered. Plain text, one "key value" per line, so a
 * person can read it; written to a temporary file and renamed, so it is never half-written.
 */
record ResumeFile(List<String> args, ResumePoint point) {
    static final String DEFAULT_NAME = "synprobe.resume";
    private static final String MAGIC = "synprobe-resume 1";

    void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        for (String a : args) {
            if (a.indexOf('\n') >= 0) throw new IOException("an argument contains a newline; cannot write a resume file");
            b.append("arg ").append(a).append('\n');
        }
        b.append("position ").append(point.position()).append('\n');
        for (long p : point.pending()) b.append("pending ").append(p).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ResumeFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--resume: no such file '" + file + "'");
        } catch (IOException e) {
            throw new UsageException("--resume: cannot read '" + file + "': " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) throw new UsageException(file + ":1: not a synprobe resume file");
        List<String> args = new ArrayList<>();
        List<Long> pending = new ArrayList<>();
        long position = -1;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp), value = sp < 0 ? "" : line.substring(sp + 1);
            try {
                switch (key) {
                    case "arg" -> args.add(value);
                    case "position" -> position = Long.parseLong(value);
                    case "pending" -> pending.add(Long.parseLong(value));
                    case "" -> { }
                    default -> throw new UsageException(file + ":" + (i + 1) + ": unknown entry '" + key + "'");
                }
            } catch (NumberFormatException e) {
                throw new UsageException(file + ":" + (i + 1) + ": invalid number '" + value + "'");
            }
        }
        if (position < 0) throw new UsageException(file + ": no position entry");
        return new ResumeFile(args, new ResumePoint(position, pending.stream().mapToLong(Long::longValue).toArray()));
    }
}
