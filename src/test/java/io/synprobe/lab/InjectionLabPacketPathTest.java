package io.synprobe.lab;

import io.synprobe.nativeio.SendPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every InjectionLabTest forgery again with the probes sent as Ethernet frames on the packet socket. JUnit runs the
 * superclass's set-up (an IP-path run) first; this one takes it down and runs it again on the packet path, in a
 * lab whose next hops ScanLab pins so that frames carry every probe.
 */
@Tag("privileged")
class InjectionLabPacketPathTest extends InjectionLabTest {
    @BeforeAll
    static void onThePacketPath() throws Exception {
        InjectionLabTest.down();
        System.setProperty(SendPath.PROPERTY, "packet");
        InjectionLabTest.up();
    }

    @AfterAll
    static void offThePacketPath() {
        System.clearProperty(SendPath.PROPERTY);
    }
}
