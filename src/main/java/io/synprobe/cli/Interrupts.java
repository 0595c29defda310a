package io.synprobe.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes SIGINT and SIGTERM to a stop action instead of killing the JVM, so outputs are completed. The action
 * is called once per signal: the engines stop gracefully on the first and at once on the second. Closing puts
 * the previous handlers back (the CLI also runs inside other programs and tests).
 */
final class Interrupts implements AutoCloseable {
    private final SignalHandler previousInt;
    private final SignalHandler previousTerm;

    private Interrupts(Runnable action) {
        previousInt = Signal.handle(new Signal("INT"), s -> action.run());
        previousTerm = Signal.handle(new Signal("TERM"), s -> action.run());
    }

    static Interrupts onInterrupt(Runnable action) {
        return new Interrupts(action);
    }

    @Override
    public void close() {
        Signal.handle(new Signal("INT"), previousInt);
        Signal.handle(new Signal("TERM"), previousTerm);
    }
}
