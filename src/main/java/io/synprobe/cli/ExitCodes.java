package io.synprobe.cli;

/** Process exit codes, the same for every subcommand. */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** The run finished (a scan found what it found; every ping target answered; every check held). */
    public static final int OK = 0;
    /** The run finished but an expectation failed (a ping target never answered, a check did not hold). */
    public static final int FAILED = 1;
    /** Bad command line or input file: nothing was sent. */
    public static final int USAGE = 2;
    /** Raw sockets could not be opened for lack of privileges. */
    public static final int PRIVILEGES = 3;
    /** Anything else that went wrong: I/O, the native library, the network namespace. */
    public static final int ERROR = 4;
    /** Stopped because the heap ran short, as Ctrl-C would: outputs complete up to that point, resume file written. */
    public static final int MEMORY = 5;
    /** Stopped by Ctrl-C or SIGTERM; outputs are complete up to that point. */
    public static final int INTERRUPTED = 130;
}
