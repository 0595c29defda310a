package io.synprobe.nativeio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * Finds the shim and binds it once per process, through the binding {@link NativeBinding#selected()} names.
 * Library order: the file named by -Dsynprobe.native.path, then java.library.path, then the copy inside the jar,
 * extracted to a private temporary file that is deleted as soon as it is mapped.
 */
final class NativeLoader {
    private static final String NAME = "synprobe";
    private static final String RESOURCE = "/native/libsynprobe.so";
    /** Only in META-INF/versions/22 of the jar (or on the test class path): the base tree has no such class. */
    static final String FFM_CLASS = "io.synprobe.nativeio.FfmShim";

    private static volatile Shim shim;

    private NativeLoader() {
    }

    static Shim lib() {
        Shim s = shim;
        if (s != null) return s;
        synchronized (NativeLoader.class) {
            if (shim == null) shim = load(NativeBinding.selected());
            return shim;
        }
    }

    /** Binds the shim through the named binding, whatever is selected for the process (tests, benchmarks). */
    static Shim load(String binding) {
        switch (binding) {
            case "jnr":
                return loadLibrary(JnrShim::load);
            case "ffm":
                NativeBinding.requireFfm();
                return loadLibrary(NativeLoader::loadFfm);
            default:
                throw new IllegalArgumentException(NativeBinding.badName(binding));
        }
    }

    private static Shim loadFfm(Path library) {
        try {
            return (Shim) Class.forName(FFM_CLASS).getDeclaredMethod("load", Path.class).invoke(null, library);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("cannot bind the native library through FFM: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the FFM binding cannot be loaded on Java " + Runtime.version() + ": " + e, e);
        }
    }

    private static Shim loadLibrary(Function<Path, Shim> binder) {
        String explicit = System.getProperty("synprobe.native.path");
        if (explicit != null) return binder.apply(Path.of(explicit).toAbsolutePath());
        for (String dir : System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, System.mapLibraryName(NAME));
            if (Files.isReadable(candidate)) return binder.apply(candidate.toAbsolutePath());
        }
        return loadFromJar(binder);
    }

    /**
     * A new file only we can read, in java.io.tmpdir. Not Files.createTempFile: its random name comes from a
     * SecureRandom, whose set-up (security providers, seeding) costs tens of ms of start-up on a cold JVM. The name
     * need not be secret: the file is created exclusively (O_EXCL, so no symbolic link is followed), mode 0700,
     * and deleted as soon as it is mapped; a name someone else took is skipped.
     */
    private static Path createPrivateFile() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        var perms = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        long pid = ProcessHandle.current().pid();
        for (int i = 0; ; i++) {
            Path p = dir.resolve("libsynprobe-" + pid + "-" + Long.toHexString(System.nanoTime()) + "-" + i + ".so");
            try {
                return Files.createFile(p, perms);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i >= 100) throw e;
            }
        }
    }

    private static Shim loadFromJar(Function<Path, Shim> binder) {
        Path tmp = null;
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("native library " + RESOURCE + " is not in the jar; rebuild with mvn package");
            tmp = createPrivateFile();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return binder.apply(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the native library to " + System.getProperty("java.io.tmpdir"), e);
        } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load the native library extracted to " + tmp
                    + ": if the temporary directory is mounted noexec, point -Djava.io.tmpdir at one that is not"
                    + " or pass -Dsynprobe.native.path=/path/to/libsynprobe.so", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp); // the mapping stays valid after unlink
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
