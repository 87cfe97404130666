package org.kinto4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.SettingsException;

/** Settings from a map read typed and string values as the server does, and fail naming the full key. */
class TestSettingsTest {

    @Test
    void stringValuesParseLikeEnvironmentVariables() {
        TestSettings settings = TestSettings.of("mail", Map.of("port", "25", "tls", "yes", "to", "a@x.org b@x.org",
                "timeout", "2s", "delay", "500"));

        assertEquals(25, settings.integer("port"));
        assertTrue(settings.bool("tls"));
        assertEquals(List.of("a@x.org", "b@x.org"), settings.list("to"));
        assertEquals(Duration.ofSeconds(2), settings.duration("timeout"));
        assertEquals(Duration.ofMillis(500), settings.duration("delay"));
    }

    @Test
    void typedValuesAreTakenAsTheyAre() {
        TestSettings settings = TestSettings.of("mail", Map.of("port", 25, "tls", false, "to", List.of("a@x.org"),
                "timeout", Duration.ofMinutes(1)));

        assertEquals(25, settings.integer("port"));
        assertFalse(settings.bool("tls"));
        assertEquals(List.of("a@x.org"), settings.list("to"));
        assertEquals(Duration.ofMinutes(1), settings.duration("timeout"));
    }

    @Test
    void missingAndMalformedValuesNameTheFullKey() {
        TestSettings settings = TestSettings.of("mail", Map.of("port", "smtp"));

        SettingsException missing = assertThrows(SettingsException.class, () -> settings.string("server"));
        assertEquals("event_listeners.mail.server", missing.key());
        SettingsException malformed = assertThrows(SettingsException.class, () -> settings.integer("port"));
        assertTrue(malformed.getMessage().contains("event_listeners.mail.port"));
        assertTrue(malformed.getMessage().contains("'smtp'"));
        assertEquals(7, settings.integer("retries", 7));
    }

    @Test
    void keysNeverReadAreReportedAsTheServerReportsProbableTypos() {
        TestSettings settings = TestSettings.of("mail", Map.of("server", "smtp:25", "sever", "typo"));

        settings.string("server");
        settings.bool("tls", false);

        assertEquals(Set.of("sever"), settings.unreadKeys());
    }
}
