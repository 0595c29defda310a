package io.synprobe.handshake;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a synprobe run holding a {@link LocalRstGuard}, in its own JVM so tests can kill it (-9 or
 * SIGINT): args NETNS_PATH|- PORT_LO PORT_HI TARGET... Prints "installed TABLE", holds it for up to 60 s,
 * removes it and exits 0. Exits 3 with the guard's message when it lacks the privilege, 4 on other errors: the
 * contract the CLI keeps.
 */
public final class GuardHolder {
    private GuardHolder() {
    }

    public static void main(String[] args) throws Exception {
        String netns = args[0].equals("-") ? null : args[0];
        List<InetAddress> targets = new ArrayList<>();
        for (int i = 3; i < args.length; i++) targets.add(InetAddress.getByName(args[i]));
        LocalRstGuard guard;
        try {
            guard = LocalRstGuard.install(netns, Integer.parseInt(args[1]), Integer.parseInt(args[2]), targets,
                    LocalRstGuard.DEFAULT_MARK);
        } catch (LocalRstGuard.NotPermittedException e) {
            System.err.println("synprobe: " + e.getMessage());
            System.exit(3);
            return;
        } catch (LocalRstGuard.GuardException e) {
            System.err.println("synprobe: " + e.getMessage());
            System.exit(4);
            return;
        }
        try (guard) {
            System.out.println("installed " + guard.table());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
