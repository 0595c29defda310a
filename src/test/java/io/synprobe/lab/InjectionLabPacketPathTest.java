package io.synprobe.lab;

import io.synprobe.nativeio.SendPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** Every InjectionLabTest forgery again with the probes sent as Ethernet frames on the packet socket. */
@Tag("privileged")
class InjectionLabPacketPathTest extends InjectionLabTest {
    @BeforeAll
    static void up() throws Exception {
        System.setProperty(SendPath.PROPERTY, "packet");
        InjectionLabTest.up();
    }

    @AfterAll
    static void down() {
        try {
            InjectionLabTest.down();
        } finally {
            System.clearProperty(SendPath.PROPERTY);
        }
    }
}
