package io.synprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data sharing archive the build writes next to the jar (target/cds/) and scripts/synprobe's use of it:
 * used when present (the JVM's own class-loading log says where each class came from), and never a reason for a
 * run to fail or to print anything when it is corrupt, written for another jar or JVM, or missing.
 * SYNPROBE_CDS_ARCHIVE points the launcher at another archive file.
 */
@Timeout(180)
class LauncherCdsIT {
    static Path root, launcher, jar;
    static Run reference;

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err, String classLoads) {
        /** Where the JVM took io.synprobe.cli.Main from: "shared objects file ..." or the jar's URL. */
        String mainSource() {
            return sourceOf("io.synprobe.cli.Main");
        }

        String sourceOf(String className) {
            return classLoads.lines().filter(l -> l.contains(" " + className + " "))
                    .map(l -> l.substring(l.indexOf("source: ") + 8)).findFirst().orElse("(not loaded)");
        }
    }

    @TempDir
    static Path referenceDir;

    @BeforeAll
    static void locate() throws Exception {
        root = Path.of(System.getProperty("synprobe.root", ".")).toAbsolutePath();
        launcher = root.resolve("scripts/synprobe");
        jar = Path.of(System.getProperty("synprobe.jar", "target/synprobe.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "package built " + jar);
        reference = run(referenceDir, "");
    }

    /** scripts/synprobe --version with the archive override (null: the launcher's own choice). */
    static Run run(Path dir, String archive) throws IOException, InterruptedException {
        Path out = dir.resolve("out"), err = dir.resolve("err"), loads = dir.resolve("loads");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--version"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("SYNPROBE_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:class+load=info:file=" + loads);
        if (archive != null) env.put("SYNPROBE_CDS_ARCHIVE", archive);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "scripts/synprobe --version did not finish");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err),
                Files.exists(loads) ? Files.readString(loads) : "");
    }

    /** Same exit, same output, nothing on stderr as a run without any archive. */
    static void assertRunsLikeWithout(Run r, String what) {
        assertEquals(0, r.exit(), what + ": " + r.err());
        assertEquals(reference.out(), r.out(), what + ": standard output");
        assertEquals("", r.err(), what + ": standard error");
        assertTrue(r.out().startsWith("synprobe "), r.out());
    }

    @Test
    void theBuildsArchiveIsUsed() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("target/cds"))) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".jsa")), "the build wrote no archive into target/cds");
        }
        Run r = run(tmp, null);
        assertRunsLikeWithout(r, "with the build's archive");
        assertTrue(r.mainSource().startsWith("shared objects file"), "Main came from " + r.mainSource());
        long shared = r.classLoads().lines().filter(l -> l.contains("io.synprobe.") && l.contains("shared objects file")).count();
        assertTrue(shared >= 5, "synprobe classes from the archive: " + shared);
        // picocli is compiled from source by the build: its published classes (Java 5) cannot be archived
        assertTrue(r.sourceOf("picocli.CommandLine").startsWith("shared objects file"),
                "picocli.CommandLine came from " + r.sourceOf("picocli.CommandLine"));
    }

    @Test
    void withoutAnArchiveClassesComeFromTheJar() {
        assertEquals(0, reference.exit(), reference.err());
        assertTrue(reference.mainSource().startsWith("file:"), "Main came from " + reference.mainSource());
    }

    @Test
    void aCorruptArchiveIsIgnoredSilently() throws Exception {
        Path bad = tmp.resolve("corrupt.jsa");
        byte[] junk = new byte[200_000];
        new Random(15).nextBytes(junk);
        Files.write(bad, junk);
        Run r = run(tmp, bad.toString());
        assertRunsLikeWithout(r, "corrupt archive");
        assertTrue(r.mainSource().startsWith("file:"), "Main came from " + r.mainSource());
    }

    @Test
    void anArchiveForAnotherJarOrJvmIsIgnoredSilently() throws Exception {
        // written by the JVM running this test (maybe not the launcher's) for a copy of the jar at another path
        Path copy = Files.copy(jar, tmp.resolve("copy.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path other = tmp.resolve("other.jsa");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:ArchiveClassesAtExit=" + other, "-cp", copy.toString(),
                "io.synprobe.cli.Main", "--version").redirectErrorStream(true).redirectOutput(tmp.resolve("dump.log").toFile())
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.size(other) > 0, "no archive written: " + Files.readString(tmp.resolve("dump.log")));
        Run r = run(tmp, other.toString());
        assertRunsLikeWithout(r, "archive of another jar");
        assertTrue(r.mainSource().startsWith("file:"), "Main came from " + r.mainSource());
    }

    @Test
    void aMissingArchiveIsNoError() throws Exception {
        Run r = run(tmp, tmp.resolve("none.jsa").toString());
        assertRunsLikeWithout(r, "missing archive");
        assertFalse(r.mainSource().startsWith("shared objects file"), r.mainSource());
    }
}
