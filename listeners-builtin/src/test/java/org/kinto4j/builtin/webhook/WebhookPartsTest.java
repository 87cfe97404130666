package org.kinto4j.builtin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of the webhook listener: signing, the internal-address guard, Retry-After, the body. */
class WebhookPartsTest {

    private static String secret(int bytes, int seed) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 31 + seed);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void signaturesVerifyWithTheOfficialLibraryForEachRotatedKey() throws Exception {
        String oldKey = secret(32, 1);
        String newKey = secret(24, 2);
        WebhookSecrets secrets = WebhookSecrets.parse(List.of(newKey, oldKey));
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"id\":\"e1\",\"action\":\"create\"}";
        String signature = secrets.sign("e1", now, body);
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("e1"),
                "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(signature));
        new Webhook(oldKey).verify(body, headers);
        new Webhook(newKey).verify(body, headers);
        assertThat(signature.split(" ")).hasSize(2);
        assertThat(new Webhook(oldKey).sign("e1", now, body)).isEqualTo(signature.split(" ")[1]);
        assertThatThrownBy(() -> new Webhook(secret(32, 3)).verify(body, headers)).isNotNull();
    }

    @Test
    void secretsOutsideTheStandardAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> WebhookSecrets.parse(List.of(secret(16, 1))))
                .hasMessageContaining("16 bytes").hasMessageNotContaining(secret(16, 1).substring(6));
        assertThatThrownBy(() -> WebhookSecrets.parse(List.of(secret(32, 1), "hunter2")))
                .hasMessageContaining("secret #2 does not start with whsec_").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WebhookSecrets.parse(List.of("whsec_%%%")))
                .hasMessageContaining("not base64");
        assertThat(WebhookSecrets.parse(List.of(secret(64, 1))).toString()).doesNotContain("whsec_");
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "64:ff9b::a9fe:a9fe", "255.255.255.255")) {
            assertThat(AddressGuard.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111")) {
            assertThat(AddressGuard.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
        assertThatThrownBy(() -> new AddressGuard(false).check("127.0.0.1"))
                .hasMessageContaining("allow_private_networks");
        new AddressGuard(true).check("127.0.0.1");
    }

    @Test
    void retryAfterTakesSecondsOrAnHttpDate() {
        assertThat(WebhookListener.retryAfter("120")).contains(Duration.ofSeconds(120));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        assertThat(WebhookListener.retryAfter(inAMinute).orElseThrow()).isBetween(Duration.ofSeconds(55),
                Duration.ofSeconds(60));
        assertThat(WebhookListener.retryAfter("soon")).isEmpty();
        assertThat(WebhookListener.retryAfter(null)).isEmpty();
    }

    @Test
    void theBodyIsKintosPayloadWithTheIdAndImpactedObjects() {
        assertThat(JsonText.write(Map.of("a", List.of(1, "x\"y", true)))).isEqualTo("{\"a\":[1,\"x\\\"y\",true]}");
        assertThat(JsonText.write("tab\tnl\nctl\u0001")).isEqualTo("\"tab\\tnl\\nctl\\u0001\"");
    }
}
