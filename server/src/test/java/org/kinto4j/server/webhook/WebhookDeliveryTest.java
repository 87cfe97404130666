package org.kinto4j.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.config.ConfigError;

/**
 * The built-in webhook listener against a real HTTP receiver on loopback; every delivery is
 * verified with the official Standard Webhooks Java library.
 */
class WebhookDeliveryTest {

    static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();
    static final String FAST_RETRY = "retry { max_attempts = 1000, initial_delay = 20ms, max_delay = 200ms }";

    @TempDir
    Path dir;

    static String config(String url, String secretSetting, String extra) {
        return "admin_principals = [\"" + ALICE + "\"]\n"
                + "event_listeners { hook { use = webhook, url = \"" + url + "\", " + secretSetting
                + ", allow_private_networks = true, " + extra + " } }";
    }

    private TestServer start(WebhookReceiver receiver, String secret, String extra) {
        return TestServer.startIn(dir, config(receiver.url(), "secret = \"" + secret + "\"", FAST_RETRY + " " + extra),
                Map.of());
    }

    private static JsonNode listener(TestServer s) {
        return s.get("/v1/__listeners__/hook", "alice").json().path("data");
    }

    @Test
    void everyEventIsPostedSignedWithEachSecretAndVerifiesWithTheOfficialLibrary() {
        String current = WebhookReceiver.newSecret();
        String next = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(current, next).start();
                TestServer s = TestServer.startIn(dir, config(receiver.url(),
                        "secrets = [\"" + current + "\", \"" + next + "\"]", FAST_RETRY), Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            List<String> records = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                records.add(s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"n\":" + i + "}}")
                        .json().path("data").path("id").asText());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 5);
            assertThat(receiver.verificationFailures()).isEmpty();
            List<WebhookReceiver.Request> got = receiver.accepted();
            assertThat(got).allSatisfy(r -> {
                assertThat(r.json().path("id").asText()).isEqualTo(r.id());
                assertThat(r.signature().split(" ")).hasSize(2).allMatch(sig -> sig.startsWith("v1,"));
            });
            assertThat(got).extracting(WebhookReceiver.Request::id).doesNotHaveDuplicates();
            assertThat(got).extracting(r -> r.json().path("resource_name").asText())
                    .containsExactly("bucket", "collection", "record", "record", "record");
            assertThat(got.subList(2, 5)).extracting(r -> r.json().path("impacted_objects").get(0).path("new").path("id").asText())
                    .containsExactlyElementsOf(records);
            assertThat(got.get(2).json().path("action").asText()).isEqualTo("create");
            assertThat(got.get(2).json().path("uri").asText()).isEqualTo("/buckets/b1/collections/c1/records");
            assertThat(listener(s).path("use").asText()).isEqualTo("webhook");
            assertThat(listener(s).toString()).doesNotContain(current.substring(6)).doesNotContain(next.substring(6));
        }
    }

    @Test
    void retryAfterOnA503DelaysTheNextAttemptOfTheSameEvent() {
        String secret = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start(); TestServer s = start(receiver, secret, "")) {
            receiver.answerNext(503, "Retry-After", "1");
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
            List<WebhookReceiver.Request> all = receiver.requests();
            assertThat(all).extracting(WebhookReceiver.Request::status).containsExactly(503, 200);
            assertThat(all.get(1).id()).isEqualTo(all.get(0).id());
            assertThat(all.get(1).nanos() - all.get(0).nanos())
                    .as("the retry waited for Retry-After (1 s) although retry.initial_delay is 20 ms")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
            assertThat(receiver.verificationFailures()).isEmpty();
        }
    }

    @Test
    void a410DisablesTheInstanceAcrossRestartsUntilAnOperatorEnablesIt() {
        String secret = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start()) {
            receiver.answerNext(410);
            try (TestServer s = start(receiver, secret, "")) {
                s.put("/v1/buckets/b1", "alice", null);
                await().atMost(Duration.ofSeconds(20)).until(() -> listener(s).path("disabled").asBoolean());
                assertThat(listener(s).path("disabled_reason").asText()).contains("410");
                s.put("/v1/buckets/b2", "alice", null);
                s.put("/v1/buckets/b3", "alice", null);
                await().atMost(Duration.ofSeconds(10)).until(() -> listener(s).path("backlog").asLong() == 3);
            }
            try (TestServer s = start(receiver, secret, "")) {
                assertThat(listener(s).path("disabled").asBoolean()).as("disabled state survives a restart").isTrue();
                await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                        .until(() -> receiver.requests().size() == 1);
                TestServer.Response enabled = s.post("/v1/__listeners__/hook/enable", "alice", null);
                assertThat(enabled.status()).isEqualTo(200);
                assertThat(enabled.json().path("data").path("enabled").asBoolean()).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 3);
                assertThat(receiver.acceptedEvents()).extracting(e -> e.path("bucket_id").asText())
                        .containsExactly("b1", "b2", "b3");
                assertThat(receiver.accepted().get(0).id()).isEqualTo(receiver.requests().get(0).id());
                assertThat(listener(s).path("disabled").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEveryEventInOrderAndNoneTwice() {
        String secret = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start(); TestServer s = start(receiver, secret, "")) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 2);
            receiver.stop();
            List<String> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}")
                        .json().path("data").path("id").asText());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> listener(s).path("failed").asLong() >= 3);
            receiver.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 12);
            List<JsonNode> events = receiver.acceptedEvents();
            assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
            assertThat(events.subList(2, 12)).extracting(e -> e.path("impacted_objects").get(0).path("new").path("id").asText())
                    .containsExactlyElementsOf(records);
            assertThat(receiver.verificationFailures()).isEmpty();
        }
    }

    @Test
    void batchingPostsTheDueEventsAsOneSignedArray() {
        String secret = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start();
                TestServer s = TestServer.startIn(dir, config(receiver.url(), "secret = \"" + secret + "\"",
                        "batch = true, retry { max_attempts = 100, initial_delay = 1s, max_delay = 1s }"), Map.of())) {
            // The first request, one event or already a batch of the first few, is put off for a
            // second: by then every event is due and the retry carries them all in one array.
            // (A 500 on a batch is retried at once one event at a time, which would leave no batch
            // when the first round already held two events.)
            receiver.answerNext(503, "Retry-After", "1");
            s.put("/v1/buckets/b0", "alice", null);
            for (int i = 1; i <= 5; i++) {
                s.put("/v1/buckets/b" + i, "alice", null);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.acceptedEvents().size() == 6);
            assertThat(receiver.acceptedEvents()).extracting(e -> e.path("bucket_id").asText())
                    .containsExactly("b0", "b1", "b2", "b3", "b4", "b5");
            assertThat(receiver.accepted()).anySatisfy(r -> {
                assertThat(r.json().isArray()).isTrue();
                assertThat(r.id()).startsWith("batch_");
            });
            assertThat(receiver.verificationFailures()).isEmpty();
        }
    }

    @Test
    void lingerGathersTheEventsOfCommitsMadeMeanwhileIntoOneRound() {
        String secret = WebhookReceiver.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start();
                TestServer s = TestServer.startIn(dir, "durable.linger = 2s\n"
                        + config(receiver.url(), "secret = \"" + secret + "\"", "batch = true"), Map.of())) {
            for (int i = 0; i < 3; i++) {
                s.put("/v1/buckets/b" + i, "alice", null);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.acceptedEvents().size() == 3);
            assertThat(receiver.accepted()).as("one round, so one batch").singleElement()
                    .satisfies(r -> assertThat(r.json()).hasSize(3));
        }
    }

    @Test
    void internalAddressesAreRefusedAtStartUnlessAllowed() {
        String secret = WebhookReceiver.newSecret();
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://127.0.0.1:9/hook",
                "http://10.1.2.3/hook", "http://[::1]:9/hook")) {
            assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { hook { use = webhook, url = \"" + url
                    + "\", secret = \"" + secret + "\" } }", Map.of()))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("event_listeners.hook.url")
                    .hasMessageContaining("internal address")
                    .hasMessageContaining("allow_private_networks");
        }
    }

    @Test
    void badUrlsAndSecretsStopTheStartWithoutPrintingTheSecret() {
        String secret = WebhookReceiver.newSecret();
        String shortSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
        record Case(String settings, String expected) {
        }
        for (Case c : List.of(
                new Case("url = \"not a url\", secret = \"" + secret + "\"", "is not a URL"),
                new Case("url = \"ftp://example.com/x\", secret = \"" + secret + "\"", "not an http or https URL"),
                new Case("url = \"http://no-such-host.invalid/x\", secret = \"" + secret + "\"", "does not resolve"),
                new Case("url = \"https://example.com/x\"", "no secret is set"),
                new Case("url = \"https://example.com/x\", secret = \"" + shortSecret + "\"", "16 bytes"),
                new Case("url = \"https://example.com/x\", secret = \"s3cr3t-plain\"", "does not start with whsec_"))) {
            assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { hook { use = webhook, "
                    + "allow_private_networks = true, " + c.settings() + " } }", Map.of()))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("event_listeners.hook.")
                    .hasMessageContaining(c.expected())
                    .hasMessageNotContaining(secret.substring(6))
                    .hasMessageNotContaining("s3cr3t-plain");
        }
    }
}
