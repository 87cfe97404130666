package org.kinto4j.builtin.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinto4j.listener.DisableInstanceException;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.listener.RetryAfterException;

/**
 * Posts each event to the instance's URL, signed the Standard Webhooks way. One attempt per
 * call; the durable dispatcher retries. Redirects are not followed (a 3xx is a failure), a
 * {@code 410 Gone} disables the instance ({@link DisableInstanceException}), a {@code 429} or
 * {@code 503} with {@code Retry-After} delays the next attempt ({@link RetryAfterException}).
 * The exchange runs on the calling thread ({@link BlockingHttpClient}). Thread-safe.
 */
class WebhookListener implements Listener {

    private static final int BODY_EXCERPT = 200;

    private final String instance;
    private final WebhookSettings settings;
    private final AddressGuard guard;
    private final BlockingHttpClient client;

    WebhookListener(String instance, WebhookSettings settings) {
        this.instance = instance;
        this.settings = settings;
        this.guard = new AddressGuard(settings.allowPrivate());
        this.client = new BlockingHttpClient(settings.url(), settings.connectTimeout());
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
        InetAddress[] addresses;
        try {
            addresses = guard.check(settings.url().getHost());
        } catch (UnknownHostException e) {
            throw new WebhookDeliveryException(where + ": the host name does not resolve");
        } catch (AddressGuard.RefusedAddressException e) {
            throw new WebhookDeliveryException(where + ": " + e.getMessage());
        }
        long timestamp = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "kinto4j-webhook");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", settings.secrets().sign(id, timestamp, body));
        BlockingHttpClient.Response response;
        try {
            response = client.post(addresses, headers, body.getBytes(StandardCharsets.UTF_8), settings.timeout());
        } catch (SocketTimeoutException e) {
            throw new WebhookDeliveryException(where + ": no answer within " + settings.timeout().toMillis()
                    + " ms (timeout / connect_timeout); the receiver may still process it, so a retry can repeat it", e);
        } catch (ConnectException e) {
            throw new WebhookDeliveryException(where + ": connection refused or unreachable", e);
        } catch (IOException e) {
            throw new WebhookDeliveryException(where + ": " + e, e);
        }
        judge(response, where);
    }

    private static void judge(BlockingHttpClient.Response response, String where) throws Exception {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return;
        }
        String answer = where + ": the receiver answered " + status + excerpt(response.body());
        if (status == 410) {
            throw new DisableInstanceException(answer + " (410 Gone: it wants no more events)");
        }
        if (status == 429 || status == 503) {
            Optional<Duration> delay = retryAfter(response.header("Retry-After"));
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
        client.close();
    }
}
