package io.synprobe.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendPathTest {
    @Test
    void parsesTheThreeNamesAndNamesABadOne() {
        assertEquals(SendPath.IP, SendPath.parse("ip"));
        assertEquals(SendPath.PACKET, SendPath.parse("PACKET"));
        assertEquals(SendPath.AUTO, SendPath.parse(" auto "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SendPath.parse("raw"));
        assertTrue(e.getMessage().contains("'raw'"), e.getMessage());
    }

    @Test
    void theThreadsChoiceWinsOverThePropertyWhichWinsOverTheDefault() throws Exception {
        String saved = System.getProperty(SendPath.PROPERTY);
        try {
            System.clearProperty(SendPath.PROPERTY);
            SendPath.choose(null);
            assertEquals(SendPath.DEFAULT, SendPath.current());
            System.setProperty(SendPath.PROPERTY, "auto");
            assertEquals(SendPath.AUTO, SendPath.current());
            SendPath.choose(SendPath.PACKET);
            assertEquals(SendPath.PACKET, SendPath.current());
            SendPath[] seen = new SendPath[1];
            Thread child = new Thread(() -> seen[0] = SendPath.current());
            child.start();
            child.join();
            assertEquals(SendPath.PACKET, seen[0], "threads the chooser starts inherit the choice");
            SendPath.choose(null);
            assertEquals(SendPath.AUTO, SendPath.current());
        } finally {
            SendPath.choose(null);
            if (saved == null) System.clearProperty(SendPath.PROPERTY);
            else System.setProperty(SendPath.PROPERTY, saved);
        }
    }
}
