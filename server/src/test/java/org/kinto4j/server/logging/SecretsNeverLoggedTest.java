package org.kinto4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.listeners.PluginJar;

/**
 * A server process started with a secret in every place (the H2 URL, Redis, SMTP and webhook
 * URLs, the HMAC keys), whose listeners fail with those URLs in their messages: no secret in the
 * whole captured output (start-up lines, effective configuration, warnings, stack traces,
 * access lines) nor in the operations endpoint's JSON.
 */
class SecretsNeverLoggedTest {

    private static final List<String> SECRETS = List.of("H2DBSECRET", "REDISSECRET", "SMTPSECRET", "HOOKSECRET",
            "TOKENSECRET", "HMACSECRETONE", "HMACSECRETTWO");

    @TempDir
    Path dir;

    @Test
    void noSecretInTheLogNorOnTheOperationsEndpoint() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.copy(Path.of("../conf/logback.example.xml"), dir.resolve("conf/logback.xml"));
        PluginJar.create().factory("leaky.LeakyFactory").source("leaky.LeakyFactory", """
                package leaky;

                import org.kinto4j.listener.*;

                public class LeakyFactory implements ListenerFactory {
                    @Override public String name() { return "leaky"; }
                    @Override public Listener create(ListenerContext context) {
                        String smtp = context.settings().string("smtp_url");
                        String hook = context.settings().string("webhook_url");
                        org.slf4j.LoggerFactory.getLogger("leaky").info("leaky connects to {} and {}", smtp, hook);
                        return event -> { throw new IllegalStateException("cannot send to " + smtp + " nor " + hook); };
                    }
                }
                """).writeTo(dir.resolve("plugins/leaky.jar"));
        String admin = new BasicAuth("HMACSECRETONE").userId(TestServer.basic("alice")).orElseThrow();
        String config = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j;USER=sa;PASSWORD=H2DBSECRET\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n"
                + "userid_hmac_secret = HMACSECRETONE\n"
                + "default_bucket_hmac_secret = HMACSECRETTWO\n"
                + "admin_principals = [\"" + admin + "\"]\n"
                + "event_listeners {\n"
                + "  leaky { use = leaky, delivery = durable, retry { max_attempts = 2, initial_delay = 10ms, max_delay = 10ms },\n"
                + "          smtp_url = \"smtp://mailer:SMTPSECRET@mail.invalid:25\",\n"
                + "          webhook_url = \"https://hook:HOOKSECRET@hooks.invalid/x?token=TOKENSECRET\" }\n"
                + "  inline { use = leaky, delivery = after_commit, smtp_url = \"smtp://m:SMTPSECRET@mail.invalid\","
                + " webhook_url = \"https://hooks.invalid/y?token=TOKENSECRET\" }\n"
                + "  queue { use = redis, delivery = durable, url = \"redis://:REDISSECRET@127.0.0.1:1/0\","
                + " retry { max_attempts = 2, initial_delay = 10ms, max_delay = 10ms } }\n"
                + "}\n";
        String operations;
        String log;
        try (ServerProcess p = ServerProcess.start(dir, config, ServerProcess.freePort(), Map.of())) {
            assertThat(p.request("PUT", "/v1/buckets/b?token=TOKENSECRET", "alice", null).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    p.request("GET", "/v1/__listeners__/leaky", "alice:secret", null).json().path("data")
                            .path("dead_letters").asInt() == 1
                    && p.request("GET", "/v1/__listeners__/queue", "alice:secret", null).json().path("data")
                            .path("dead_letters").asInt() == 1);
            operations = p.request("GET", "/v1/__listeners__", "alice", null).text()
                    + p.request("GET", "/v1/__listeners__/leaky", "alice", null).text()
                    + p.request("GET", "/v1/__listeners__/queue", "alice", null).text();
            p.terminate();
            log = p.log();
        }
        assertThat(log).contains("Effective configuration", "PASSWORD=****", "smtp://mailer:****@mail.invalid",
                "token=****", "redis://:****@127.0.0.1");
        assertThat(operations).contains("smtp://mailer:****@mail.invalid");
        for (String secret : SECRETS) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(operations).as("operations endpoint").doesNotContain(secret);
        }
    }
}
