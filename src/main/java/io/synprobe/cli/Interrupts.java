package io.synprobe.cli;

import sun.misc.Signal;

/**
 * Routes SIGINT and SIGTERM to a stop action instead of killing the JVM, so outputs are completed. The action
 * is called once per signal: the engines stop gracefully on the first and at once on the second.
 */
final class Interrupts {
    private Interrupts() {
    }

    static void onInterrupt(Runnable action) {
        Signal.handle(new Signal("INT"), s -> action.run());
        Signal.handle(new Signal("TERM"), s -> action.run());
    }
}
