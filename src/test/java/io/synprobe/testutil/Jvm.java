package io.synprobe.testutil;

import java.nio.file.Path;

/** The java a test starts synprobe with: this JVM's own, granted native access on Java 22+ (FFM) so it warns nothing. */
public final class Jvm {
    private Jvm() {
    }

    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** A JVM flag for every Java version: native access where it exists, a harmless property before. */
    public static final String NATIVE_ACCESS = Runtime.version().feature() >= 22
            ? "--enable-native-access=ALL-UNNAMED" : "-Dsynprobe.test.native.access=implicit";
}
