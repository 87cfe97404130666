package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kinto4j.listener.SettingsException;
import org.kinto4j.testkit.TestSettings;

class EmailSettingsTest {

    private static Map<String, Object> validSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("server", "localhost:1025");
        settings.put("from", "kinto@example.com");
        settings.put("recipients", List.of("ops@example.com"));
        return settings;
    }

    private static EmailSettings read(Map<String, Object> settings) {
        return EmailSettings.read("send_email", TestSettings.of("send_email", settings));
    }

    private static EmailSettings readWith(String key, Object value) {
        Map<String, Object> settings = validSettings();
        settings.put(key, value);
        return read(settings);
    }

    @Test
    void minimalSettingsUseNoTlsNoAuthenticationAndATenSecondTimeout() {
        EmailSettings settings = read(validSettings());

        assertThat(settings.server()).isEqualTo(new SmtpServerAddress("localhost", 1025));
        assertThat(settings.tls()).isFalse();
        assertThat(settings.username()).isEmpty();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.from().getAddress()).isEqualTo("kinto@example.com");
        assertThat(settings.recipients()).extracting(a -> a.getAddress()).containsExactly("ops@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", "localhost:smtp", "localhost:0", "localhost:65536", ":1025", "::1:1025"})
    void badServerFailsNamingTheFullKeyTheValueAndTheExpectedForm(String server) {
        assertThatThrownBy(() -> readWith("server", server))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.server")
                .hasMessageContaining("\"" + server + "\"")
                .hasMessageContaining("host:port")
                .hasMessageContaining("localhost:1025")
                .extracting(e -> ((SettingsException) e).key())
                .isEqualTo("event_listeners.send_email.server");
    }

    @Test
    void serverWithoutPortSaysSo() {
        assertThatThrownBy(() -> readWith("server", "smtp.example.com"))
                .hasMessageStartingWith("event_listeners.send_email.server = \"smtp.example.com\" has no port");
    }

    @Test
    void serverWithNonNumericPortSaysSo() {
        assertThatThrownBy(() -> readWith("server", "localhost:smtp"))
                .hasMessageContaining("port that is not a number ('smtp')");
    }

    @Test
    void bracketedIpv6ServerIsAccepted() {
        assertThat(readWith("server", "[::1]:2525").server()).isEqualTo(new SmtpServerAddress("::1", 2525));
    }

    @Test
    void missingServerFailsNamingTheFullKey() {
        Map<String, Object> settings = validSettings();
        settings.remove("server");

        assertThatThrownBy(() -> read(settings))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.server");
    }

    @Test
    void recipientsMayBeKintosSpaceSeparatedString() {
        assertThat(readWith("recipients", "ops@example.com  dev@example.com").recipients())
                .extracting(a -> a.getAddress())
                .containsExactly("ops@example.com", "dev@example.com");
    }

    @Test
    void emptyRecipientsFailNamingTheFullKey() {
        assertThatThrownBy(() -> readWith("recipients", List.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.recipients is empty");
    }

    @Test
    void recipientThatIsNotAnAddressFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> readWith("recipients", List.of("ops@example.com", "not an address")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.recipients")
                .hasMessageContaining("\"not an address\"");
    }

    @Test
    void fromThatIsNotAnAddressFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> readWith("from", "kinto@"))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.from has \"kinto@\"");
    }

    @Test
    void usernameWithoutPasswordFailsNamingBothKeys() {
        assertThatThrownBy(() -> readWith("username", "kinto"))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.password is missing")
                .hasMessageContaining("event_listeners.send_email.username");
    }

    @Test
    void tlsIsReadAsABoolean() {
        assertThat(readWith("tls", "true").tls()).isTrue();
    }

    @Test
    void zeroTimeoutIsRejected() {
        assertThatThrownBy(() -> readWith("timeout", Duration.ZERO))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.send_email.timeout");
    }

    @Test
    void toStringNeverShowsThePassword() {
        Map<String, Object> settings = validSettings();
        settings.put("username", "kinto");
        settings.put("password", "s3cret-value");

        assertThat(read(settings).toString())
                .contains("username=kinto")
                .doesNotContain("s3cret-value");
    }
}
