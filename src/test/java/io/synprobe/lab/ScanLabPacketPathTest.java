package io.synprobe.lab;

import io.synprobe.nativeio.SendPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every ScanLabTest case (each state and reason, both families, nmap agreeing port for port) again with the probes
 * sent as Ethernet frames on the packet socket. JUnit runs the superclass's set-up first; the lab is then built
 * again with the packet path chosen, so ScanLab pins its next hops and frames carry the probes from the first one
 * on (PacketPathLabTest shows what happens before a next hop is resolved).
 */
@Tag("privileged")
class ScanLabPacketPathTest extends ScanLabTest {
    @BeforeAll
    static void onThePacketPath() {
        System.setProperty(SendPath.PROPERTY, "packet");
        lab.close();
        lab = ScanLab.start(3);
    }

    @AfterAll
    static void offThePacketPath() {
        System.clearProperty(SendPath.PROPERTY);
    }
}
