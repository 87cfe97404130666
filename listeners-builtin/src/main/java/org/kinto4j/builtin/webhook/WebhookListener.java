package org.kinto4j.builtin.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.kinto4j.listener.DisableInstanceException;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.listener.RetryAfterException;

/**
 * Posts each event to the instance's URL, signed the Standard Webhooks way. One attempt per
 * call; the durable dispatcher retries. Redirects are not followed (a 3xx is a failure), a
 * {@code 410 Gone} disables the instance ({@link DisableInstanceException}), a {@code 429} or
 * {@code 503} with {@code Retry-After} delays the next attempt ({@link RetryAfterException}).
 * Thread-safe.
 */
class WebhookListener implements Listener {

    private static final int BODY_EXCERPT = 200;

    private final String instance;
    private final WebhookSettings settings;
    private final AddressGuard guard;
    private final HttpClient client;
    private final ExecutorService executor;

    WebhookListener(String instance, WebhookSettings settings, HttpClient client, ExecutorService executor) {
        this.instance = instance;
        this.settings = settings;
        this.guard = new AddressGuard(settings.allowPrivate());
        this.client = client;
        this.executor = executor;
    }

    @Override
    public void onEvent(ResourceEvent event) throws Exception {
        post(event.id(), WebhookMessage.body(event), "event " + event.id());
    }

    /** Used by {@link BatchingWebhookListener}: all the events in one JSON array. */
    void postAll(List<ResourceEvent> events) throws Exception {
        post(WebhookMessage.batchId(events), WebhookMessage.body(events),
                "a batch of " + events.size() + " events (first " + events.get(0).id() + ")");
    }

    private void post(String id, String body, String what) throws Exception {
        String where = "webhook listener '" + instance + "' could not deliver " + what + " to " + settings.shownUrl();
        try {
            guard.check(settings.url().getHost());
        } catch (UnknownHostException e) {
            throw new WebhookDeliveryException(where + ": the host name does not resolve");
        } catch (AddressGuard.RefusedAddressException e) {
            throw new WebhookDeliveryException(where + ": " + e.getMessage());
        }
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "kinto4j-webhook")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", settings.secrets().sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new WebhookDeliveryException(where + ": no answer within " + settings.timeout().toMillis()
                    + " ms (timeout / connect_timeout); the receiver may still process it, so a retry can repeat it", e);
        } catch (ConnectException e) {
            throw new WebhookDeliveryException(where + ": connection refused or unreachable", e);
        } catch (IOException e) {
            throw new WebhookDeliveryException(where + ": " + e, e);
        }
        judge(response, where);
    }

    private static void judge(HttpResponse<String> response, String where) throws Exception {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String answer = where + ": the receiver answered " + status + excerpt(response.body());
        if (status == 410) {
            throw new DisableInstanceException(answer + " (410 Gone: it wants no more events)");
        }
        if (status == 429 || status == 503) {
            Optional<Duration> delay = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
            if (delay.isPresent()) {
                throw new RetryAfterException(answer + ", Retry-After " + delay.get().toSeconds() + " s", delay.get());
            }
        }
        if (status >= 300 && status < 400) {
            throw new WebhookDeliveryException(answer + " (redirects are not followed: configure the final URL)");
        }
        throw new WebhookDeliveryException(answer);
    }

    /** {@code Retry-After}: seconds, or an HTTP date. */
    static Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() <= BODY_EXCERPT ? b : b.substring(0, BODY_EXCERPT) + "…");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
