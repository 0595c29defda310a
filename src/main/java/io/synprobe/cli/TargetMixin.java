package io.synprobe.cli;

import io.synprobe.target.AddressRange;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.target.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Target selection shared by the probing subcommands. */
public final class TargetMixin {
    /** Scans of this many addresses or more (a /8) must name their exclusions, so a prefix typo cannot start an Internet-wide scan. */
    static final long LARGE_SCAN = 1L << 24;

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "addresses, CIDR blocks (198.18.0.0/24), ranges (198.18.0.2-198.18.0.254 or 198.18.0.2-254) or host names")
    List<String> targets = new ArrayList<>();

    @Option(names = "-iL", paramLabel = "FILE", description = "read targets from FILE, one per line, # comments; - for standard input")
    String inputList;

    @Option(names = "--exclude", paramLabel = "LIST", split = ",", description = "comma-separated targets to skip")
    List<String> exclude;

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "targets to skip, one per line")
    String excludeFile;




    TargetSet resolve(TargetParser parser) {
        List<String> tokens = new ArrayList<>(targets);
        if (inputList != null) tokens.addAll(readList(inputList, "-iL"));
        if (tokens.isEmpty()) throw new UsageException("no targets given (name addresses, ranges or -iL FILE)");
        List<AddressRange> include = parser.parseAll(tokens);
        List<String> ex = new ArrayList<>();
        if (exclude != null) ex.addAll(exclude.stream().filter(s -> !s.isBlank()).toList());
        if (excludeFile != null) ex.addAll(readList(excludeFile, "--exclude-file"));
        TargetSet set = TargetSet.of(include, parser.parseAll(ex));
        if (set.size() == 0) throw new UsageException("every target is excluded: nothing to probe");
        if (set.size() >= LARGE_SCAN && exclude == null && excludeFile == null) {
            throw new UsageException("refusing to probe " + set.size() + " addresses (2^24 or more, a /8 or larger) without an explicit"
                    + " --exclude or --exclude-file (an empty one will do): check the prefix lengths");
        }
        return set;
    }

    static List<String> readList(String name, String option) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = name.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(name), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                int hash = line.indexOf('#');
                if (hash >= 0) line = line.substring(0, hash);
                for (String tok : line.trim().split("[\\s,]+")) if (!tok.isEmpty()) out.add(tok);
            }
        } catch (NoSuchFileException e) {
            throw new UsageException(option + ": no such file '" + name + "'");
        } catch (IOException e) {
            throw new UsageException(option + ": cannot read '" + name + "': " + e.getMessage());
        }
        return out;
    }
}
