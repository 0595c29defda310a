package io.synprobe.runtime;

/** A run stopped because something other than the network failed: an output that threw, most often. */
public final class RunFailure extends RuntimeException {
    public RunFailure(Throwable cause) {
        super(describe(cause), cause);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return "output failed: " + (m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
}
