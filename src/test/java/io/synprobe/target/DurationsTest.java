package io.synprobe.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        assertEquals(Duration.ofMillis(20), Durations.parse("20ms"));
        assertEquals(Duration.ofSeconds(1), Durations.parse("1s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    }

    @Test
    void bareNumberMeansSeconds() {
        assertEquals(Duration.ofSeconds(3), Durations.parse("3"));
        assertEquals(Duration.ofMillis(250), Durations.parse("0.25"));
    }

    @Test
    void fractionsOfSmallUnitsAndZero() {
        assertEquals(Duration.ofNanos(1_500), Durations.parse("1.5us"));
        assertEquals(Duration.ofNanos(2), Durations.parse("0.0015us"));
        assertEquals(Duration.ZERO, Durations.parse("0ms"));
    }

    @Test
    void largestRepresentableIsAccepted() {
        assertEquals(Duration.ofHours(2_562_047), Durations.parse("2562047h"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5x", "-1s", "-5", "+1s", "1.s", ".5s", "1e3ms", "ms", "1 s", " 1s", "1s ",
            "1S", "1sec", "1.5.5s", "1ns", "abc", "1,5s", "0x10s", "2562048h", "99999999999999999999999s"})
    void rejectsBadTokensNamingThem(String token) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(token));
        assertTrue(e.getMessage().startsWith("invalid duration '" + token + "'"), e.getMessage());
    }

    @Test
    void garbageMessageSuggestsValidForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("5x"));
        assertEquals("invalid duration '5x' (use e.g. 20ms, 1s, 2m)", e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
        assertTrue(e.getMessage().contains("'null'"));
    }
}
