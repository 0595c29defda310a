package io.synprobe.lab;

import io.synprobe.nativeio.SendPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every ScanLabTest case (each state and reason, both families, nmap agreeing port for port) again with the probes
 * sent as Ethernet frames on the packet socket; ScanLab pins the next hops, so frames carry them from the first
 * probe on (PacketPathLabTest shows what happens before a next hop is resolved).
 */
@Tag("privileged")
class ScanLabPacketPathTest extends ScanLabTest {
    @BeforeAll
    static void up() {
        System.setProperty(SendPath.PROPERTY, "packet");
        ScanLabTest.up();
    }

    @AfterAll
    static void down() {
        try {
            ScanLabTest.down();
        } finally {
            System.clearProperty(SendPath.PROPERTY);
        }
    }
}
