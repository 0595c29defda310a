package io.synprobe.cli;

import io.synprobe.nativeio.NativeBinding;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        return io.synprobe.result.Version.get();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"synprobe " + version(),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"),
                "native binding: " + NativeBinding.describe()};
    }
}
