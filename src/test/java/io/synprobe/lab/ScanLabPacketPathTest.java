package io.synprobe.lab;

import io.synprobe.nativeio.SendPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every ScanLabTest case (each state and reason, both families, nmap agreeing port for port) again with the probes
 * sent as Ethernet frames on the packet socket. The next hops are resolved first, as earlier traffic would have
 * done, so the frames carry the probes from the first batch on (PacketPathLabTest shows what happens before).
 */
@Tag("privileged")
class ScanLabPacketPathTest extends ScanLabTest {
    @BeforeAll
    static void onThePacketPath() {
        System.setProperty(SendPath.PROPERTY, "packet");
        PacketPathLabTest.resolveNeighbours(lab, 3);
    }

    @AfterAll
    static void backToTheDefault() {
        System.clearProperty(SendPath.PROPERTY);
    }
}
