package io.synprobe.nativeio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import jnr.ffi.LibraryLoader;

/**
 * Loads the shim once. Order: the file named by -Dsynprobe.native.path, then java.library.path, then the copy
 * inside the jar, extracted to a private temporary file that is deleted as soon as it is mapped.
 */
public final class NativeLoader {
    private static final String NAME = "synprobe";
    private static final String RESOURCE = "/native/libsynprobe.so";

    private NativeLoader() {
    }

    private static final class Holder {
        static final LibSynprobe LIB = load();
    }

    public static LibSynprobe lib() {
        return Holder.LIB;
    }

    private static LibSynprobe load() {
        String explicit = System.getProperty("synprobe.native.path");
        if (explicit != null) return loadFrom(Path.of(explicit));
        for (String dir : System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, System.mapLibraryName(NAME));
            if (Files.isReadable(candidate)) return loadFrom(candidate);
        }
        return loadFromJar();
    }

    private static LibSynprobe loadFrom(Path path) {
        return LibraryLoader.create(LibSynprobe.class).failImmediately().load(path.toAbsolutePath().toString());
    }

    private static LibSynprobe loadFromJar() {
        Path tmp = null;
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("native library " + RESOURCE + " is not in the jar; rebuild with mvn package");
            tmp = Files.createTempFile("libsynprobe-", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return loadFrom(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the native library to " + System.getProperty("java.io.tmpdir"), e);
        } catch (UnsatisfiedLinkError e) {
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
