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

    /** Streams the file (it may list 2^19 probes in flight after a stop for want of memory: no big string). */
    void write(Path file) throws IOException {
        for (String a : args) {
            if (a.indexOf('\n') >= 0) throw new IOException("an argument contains a newline; cannot write a resume file");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(MAGIC);
            w.write('\n');
            for (String a : args) w.write("arg " + a + "\n");
            w.write("position " + point.position() + "\n");
            for (long p : point.pending()) {
                w.write("pending ");
                w.write(Long.toString(p));
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads line by line into primitive longs: a file of 2^19 pending probes costs 4 MB, not a list of strings. */
    static ResumeFile read(Path file) {
        List<String> args = new ArrayList<>();
        long[] pending = new long[16];
        int pendingCount = 0;
        long position = -1;
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null || !first.equals(MAGIC)) throw new UsageException(file + ":1: not a synprobe resume file");
            int i = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                i++;
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp), value = sp < 0 ? "" : line.substring(sp + 1);
                try {
                    switch (key) {
                        case "arg" -> args.add(value);
                        case "position" -> position = Long.parseLong(value);
                        case "pending" -> {
                            if (pendingCount == pending.length) pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
                            pending[pendingCount++] = Long.parseLong(value);
                        }
                        case "" -> { }
                        default -> throw new UsageException(file + ":" + i + ": unknown entry '" + key + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new UsageException(file + ":" + i + ": invalid number '" + value + "'");
                }
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("--resume: no such file '" + file + "'");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UsageException(file + ": not a synprobe resume file (not UTF-8 text)");
        } catch (IOException e) {
            throw new UsageException("--resume: cannot read '" + file + "': " + e.getMessage());
        }
        if (position < 0) throw new UsageException(file + ": no position entry");
        return new ResumeFile(args, new ResumePoint(position, java.util.Arrays.copyOf(pending, pendingCount)));
    }
}
