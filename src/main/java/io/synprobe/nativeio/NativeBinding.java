package io.synprobe.nativeio;

/**
 * Which binding carries the calls into the shim: "ffm" (Java's Foreign Function &amp; Memory API, on Java 22 and
 * later when the jar holds it) or "jnr" (jnr-ffi, any Java from 17). -Dsynprobe.binding=jnr|ffm forces one.
 */
public final class NativeBinding {
    public static final String PROPERTY = "synprobe.binding";

    private NativeBinding() {
    }

    /** The binding this process uses (or will use once the shim is first called). */
    public static String selected() {
        return select(System.getProperty(PROPERTY), Runtime.version().feature(), ffmBuilt());
    }

    /** The choice itself, for a JVM of the given feature version: pure, so it can be tested for every case. */
    static String select(String forced, int javaFeature, boolean ffmBuilt) {
        String f = forced == null ? "" : forced.trim();
        if (f.isEmpty() || f.equals("auto")) return javaFeature >= 22 && ffmBuilt ? "ffm" : "jnr";
        if (f.equals("jnr")) return f;
        if (!f.equals("ffm")) throw new IllegalArgumentException(badName(f));
        requireFfm(javaFeature, ffmBuilt);
        return f;
    }

    /** The bindings this build holds: "jnr", or "jnr,ffm" when it was built with a JDK 22+ at hand. */
    public static String built() {
        String fromJar = manifestBindings();
        if (fromJar != null) return fromJar;
        return ffmBuilt() ? "jnr,ffm" : "jnr";
    }

    /** The jar's Synprobe-Bindings attribute: on Java 17 the versioned FFM classes are invisible, so ask the jar. */
    private static String manifestBindings() {
        try {
            var source = NativeBinding.class.getProtectionDomain().getCodeSource();
            if (source == null || !source.getLocation().getPath().endsWith(".jar")) return null;
            try (var jar = new java.util.jar.JarFile(new java.io.File(source.getLocation().toURI()))) {
                var manifest = jar.getManifest();
                return manifest == null ? null : manifest.getMainAttributes().getValue("Synprobe-Bindings");
            }
        } catch (Exception e) {
            return null;
        }
    }

    /** One line for --version: the binding in use, or why none can be used. */
    public static String describe() {
        try {
            String s = selected();
            String what = s.equals("ffm") ? "ffm (Java Foreign Function & Memory API)" : "jnr (jnr-ffi)";
            return what + "; built in: " + built();
        } catch (RuntimeException e) {
            return "none: " + e.getMessage();
        }
    }

    /**
     * Binds the shim on a background thread, so a command's own start-up (argument parsing, target resolution)
     * overlaps with it: with FFM that is the generation of every downcall stub, the biggest single cost before
     * the first probe. The first SecureRandom (seed, reply cookies) is made here as well. A failure here is
     * dropped; the first real use binds again and reports it.
     */
    public static void preload() {
        Thread t = new Thread(() -> {
            try {
                // the run's seed and reply cookies come from a SecureRandom: its providers are set up here too
                new java.security.SecureRandom().nextLong();
                NativeLoader.lib();
            } catch (RuntimeException | LinkageError e) {
                // reported by the first real use
            }
        }, "synprobe-preload");
        t.setDaemon(true);
        t.start();
    }

    static boolean ffmBuilt() {
        return NativeBinding.class.getResource("/" + NativeLoader.FFM_CLASS.replace('.', '/') + ".class") != null;
    }

    static void requireFfm() {
        requireFfm(Runtime.version().feature(), ffmBuilt());
    }

    private static void requireFfm(int javaFeature, boolean ffmBuilt) {
        if (javaFeature < 22) {
            throw new IllegalStateException("-D" + PROPERTY + "=ffm needs Java 22 or newer, and this is Java "
                    + javaFeature + " (use -D" + PROPERTY + "=jnr, or run on a newer JDK)");
        }
        if (!ffmBuilt) {
            throw new IllegalStateException("-D" + PROPERTY + "=ffm: this synprobe was built without the FFM binding"
                    + " (no JDK 22+ at build time); rebuild with one installed, or use -D" + PROPERTY + "=jnr");
        }
    }

    static String badName(String name) {
        return "-D" + PROPERTY + " must be jnr or ffm, not '" + name + "'";
    }
}
