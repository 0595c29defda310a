package io.synprobe.cli;

import io.synprobe.merge.ShardMerge;
import io.synprobe.output.OutputTarget;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "merge", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Merge the JSONL outputs of the shards of one scan (scan --seed N --shard I/N -o jsonl) into one"
                + " result in any format. Refuses unless every shard is there once, complete, and from the same scan.",
        footerHeading = "%nExamples:%n",
        footer = {"  synprobe merge shard-1.jsonl shard-2.jsonl shard-3.jsonl -o xml --output scan.xml",
                "  synprobe merge shards/*.jsonl --only open -o jsonl",
                "",
                "Exit codes: 0 merged, 2 a shard is missing, duplicated, interrupted or from another scan, or bad usage,"
                        + " 4 other error."})
public final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHARD-FILE", arity = "1..*", description = "JSONL output of one shard")
    List<Path> files;

    @Mixin
    OutputMixin output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        output.validate();
        // every shard is read and checked whole before the output is opened: a refused merge writes nothing
        ShardMerge merge = ShardMerge.check(files);
        List<String> args = new ArrayList<>();
        args.add("synprobe");
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        ScanInfo info = merge.info(args, VersionProvider.version());
        ScanSummary summary = output.file == null || output.file.equals(OutputTarget.STDOUT)
                ? write(merge, info, OutputTarget.open(null))
                : writeFile(merge, info, Path.of(output.file));
        if (!output.quiet) {
            System.err.println("synprobe: merged " + merge.shardCount() + " shards; "
                    + io.synprobe.output.SummaryLine.format(summary, info.portCount()));
        }
        return ExitCodes.OK;
    }

    private ScanSummary write(ShardMerge merge, ScanInfo info, OutputStream out) throws IOException {
        try (ResultSink sink = output.format().create(out, output.options())) {
            return merge.write(sink, info);
        }
    }

    /** Written beside the target and renamed into place: the file is whole or not there. */
    private ScanSummary writeFile(ShardMerge merge, ScanInfo info, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            ScanSummary s = write(merge, info, Files.newOutputStream(tmp));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return s;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
