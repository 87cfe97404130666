package org.kinto4j.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.listeners.PluginJar;

/**
 * The listener console in a real headless Chromium: a non-admin is refused at sign-in; an admin
 * sees every instance with its delivery mode, filters and counters, a dead letter with its last
 * error, re-queues it with the button, and watches records arrive in the live tail. The test
 * keeps a screenshot at {@code target/console-screenshot.png}.
 */
class ListenerConsoleBrowserTest {

    private static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();

    @TempDir
    Path dir;

    @Test
    void adminSeesListenersRequeuesADeadLetterAndTailsTheChangeFeed() throws Exception {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        String config = "admin_principals = [\"" + ALICE + "\"]\n"
                + "event_listeners {\n"
                + "  audit { use = recorder, delivery = after_commit, actions = [create, delete], file = \""
                + dir.resolve("audit.jsonl") + "\" }\n"
                + "  webhook-mirror { use = recorder, delivery = durable, resources = [bucket], fail_times = 1, "
                + "retry { max_attempts = 1, initial_delay = 20ms, max_delay = 20ms }, file = \""
                + dir.resolve("mirror.jsonl") + "\" }\n"
                + "}\n";
        try (TestServer server = TestServer.startIn(dir, config, Map.of());
                HeadlessChromium browser = HeadlessChromium.launch(1280, 1000)) {
            server.put("/v1/buckets/shop", "alice", null);
            server.put("/v1/buckets/shop/collections/orders", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/v1/__listeners__/webhook-mirror", "alice")
                    .json().path("data").path("dead_letters").asInt() == 1);

            browser.navigate(server.base() + "/v1/__console__/");
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.isTrue("document.body.dataset.ready === 'yes'"));

            signIn(browser, "bob");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "document.getElementById('login-error').textContent.includes('admin_principals')"));

            signIn(browser, "alice");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "document.querySelectorAll('#listeners tbody tr[data-name]').length === 2"));
            assertThat(browser.eval("document.querySelector('#listeners tr[data-name=\"audit\"]').innerText").asText())
                    .contains("after_commit").contains("actions: create, delete");
            assertThat(browser.eval("document.querySelector('#listeners tr[data-name=\"webhook-mirror\"]').innerText")
                    .asText()).contains("durable").contains("resources: bucket");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "!!document.querySelector('#dead-letters .dead pre.err')"));
            assertThat(browser.eval("document.querySelector('#dead-letters .dead').innerText").asText())
                    .contains("create /buckets/shop").contains("recorder failing call 1 of 1");

            browser.eval("document.getElementById('tail-bucket').value = 'shop';"
                    + "document.getElementById('tail-collection').value = 'orders';"
                    + "document.getElementById('tail-start').click(); true");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "document.getElementById('tail-status').textContent.startsWith('Following /buckets/shop')"
                            + " && !document.getElementById('tail-status').textContent.endsWith('…')"));
            for (String id : new String[] {"order-1", "order-2", "order-3"}) {
                server.put("/v1/buckets/shop/collections/orders/records/" + id, "alice", "{\"data\":{\"total\":12}}");
            }
            server.delete("/v1/buckets/shop/collections/orders/records/order-2", "alice");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "document.querySelectorAll('#tail tbody tr').length === 4"));
            assertThat(browser.eval("document.querySelector('#tail tbody tr').innerText").asText())
                    .contains("delete").contains("shop/orders/order-2");

            Path screenshot = Path.of("target", "console-screenshot.png");
            browser.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);

            browser.eval("document.querySelector('#dead-letters button.requeue').click(); true");
            await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/v1/__listeners__/webhook-mirror", "alice")
                    .json().path("data").path("dead_letters").asInt() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.isTrue(
                    "document.getElementById('dead-panel').hidden"));
            assertThat(PluginJar.recorded(dir.resolve("mirror.jsonl"))).extracting(e -> e.path("payload")
                    .path("uri").asText()).contains("/buckets/shop");
        }
    }

    private static void signIn(HeadlessChromium browser, String user) throws Exception {
        browser.eval("document.getElementById('username').value = '" + user + "';"
                + "document.getElementById('password').value = 'secret';"
                + "document.getElementById('signin').click(); true");
    }
}
