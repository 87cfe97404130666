package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.DurableDispatcher;
import org.kinto4j.server.events.ListenerInstance;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.events.Replays;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.logging.SecretMasking;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.ListenerStates;
import org.kinto4j.server.storage.OutboxStore;

/**
 * {@code /v1/__listeners__} for operators listed in {@code admin_principals}:
 * {@code GET /v1/__listeners__} (every instance), {@code GET /v1/__listeners__/NAME} (one, with
 * its dead letters), {@code POST /v1/__listeners__/NAME/requeue} (dead letters back to the
 * queue; {@code ?event_id=} for one), {@code POST /v1/__listeners__/NAME/enable} (re-enable an
 * instance its target disabled with 410 Gone), {@code POST /v1/__listeners__/NAME/replay?from=}
 * (queue a replay of what changed since {@code from}, default 0: see {@link Replays}).
 */
public final class ListenerOperationsEndpoint implements OperationsEndpoint {

    private static final int DEAD_LETTERS_SHOWN = 100;

    private final ServerSettings settings;
    private final ListenerRegistry registry;
    private final DurableDispatcher dispatcher;
    private final Replays replays;

    public ListenerOperationsEndpoint(ServerSettings settings, ListenerRegistry registry, DurableDispatcher dispatcher,
            Replays replays) {
        this.settings = settings;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.replays = replays;
    }

    @Override
    public ApiResponse handle(RequestScope scope, ApiRequest req, Caller caller, Route.Listeners route) {
        boolean admin = caller.principals().stream().anyMatch(settings.adminPrincipals()::contains);
        if (!admin) {
            throw caller.isAnonymous() ? KintoException.unauthorized() : KintoException.forbidden();
        }
        if (route.instance() == null) {
            if (!req.method().equals("GET")) {
                throw KintoException.methodNotAllowed("GET, OPTIONS");
            }
            ArrayNode data = Json.array();
            for (ListenerInstance i : registry.instances()) {
                data.add(describe(i, false));
            }
            ObjectNode body = Json.object();
            body.set("data", data);
            return new ApiResponse(200, body);
        }
        ListenerInstance instance = registry.instances().stream().filter(i -> i.name().equals(route.instance()))
                .findFirst().orElseThrow(() -> KintoException.objectNotFound(route.instance(), "listener"));
        if (route.action() == null) {
            if (!req.method().equals("GET")) {
                throw KintoException.methodNotAllowed("GET, OPTIONS");
            }
            ObjectNode body = Json.object();
            body.set("data", describe(instance, true));
            return new ApiResponse(200, body);
        }
        if (!List.of("requeue", "enable", "replay").contains(route.action())) {
            throw KintoException.unknownUrl();
        }
        if (!req.method().equals("POST")) {
            throw KintoException.methodNotAllowed("POST, OPTIONS");
        }
        if (instance.delivery() != Delivery.DURABLE) {
            throw KintoException.invalid("path", "listener", "Listener '" + instance.name() + "' has delivery = "
                    + instance.delivery().value() + ": only durable listeners have an outbox to "
                    + route.action() + " (set delivery = durable)");
        }
        ObjectNode body = Json.object();
        ObjectNode data = body.putObject("data");
        switch (route.action()) {
            case "enable" -> {
                data.put("enabled", dispatcher.enable(instance.name()));
            }
            case "replay" -> data.put("replayed", replays.replay(instance, replayFrom(req.queryParam("from"))));
            default -> data.put("requeued", dispatcher.requeue(instance.name(), req.queryParam("event_id")));
        }
        return new ApiResponse(200, body);
    }

    private static long replayFrom(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        if (!raw.matches("[0-9]{1,18}")) {
            throw KintoException.invalid("querystring", "from", "from should be 0 or a timestamp in milliseconds"
                    + " (replay what changed since then, as _since)");
        }
        return Long.parseLong(raw);
    }

    private ObjectNode describe(ListenerInstance i, boolean withDeadLetters) {
        ObjectNode o = Json.object();
        o.put("name", i.name());
        o.put("use", i.use());
        o.put("origin", i.origin());
        o.put("delivery", i.delivery().value());
        ArrayNode actions = o.putArray("actions");
        i.config().actions().stream().map(Action::value).sorted().forEach(actions::add);
        putAllOr(o, "resources", i.config().resources());
        putAllOr(o, "buckets", i.config().scope().buckets());
        putAllOr(o, "collections", i.config().scope().collections());
        o.put("delivered", i.deliveredCount());
        o.put("failed", i.failedCount());
        o.put("time_ms", i.totalMillis());
        if (i.delivery() == Delivery.DURABLE) {
            OutboxStore.Backlog b = dispatcher.backlog(i.name());
            o.put("backlog", b.pending());
            if (b.oldestPendingAgeMillis() == null) {
                o.putNull("oldest_pending_age_ms");
            } else {
                o.put("oldest_pending_age_ms", b.oldestPendingAgeMillis());
            }
            o.put("dead_letters", b.dead());
            o.put("delivered_kept", b.deliveredKept());
            o.put("retrying_error", SecretMasking.mask(b.retryingError()));
            ListenerStates.State state = dispatcher.state(i.name()).orElse(null);
            o.put("disabled", state != null && state.disabled());
            if (state != null && state.disabled()) {
                o.put("disabled_reason", state.disabledReason());
                o.put("disabled_at", state.disabledAt());
            }
            if (state != null && state.replayedAt() != null) {
                ObjectNode replay = o.putObject("last_replay");
                replay.put("from", state.replayFrom());
                replay.put("at", state.replayedAt());
                replay.put("events", state.replayedEvents());
            }
            ObjectNode retry = o.putObject("retry");
            retry.put("max_attempts", i.config().retry().maxAttempts());
            retry.put("initial_delay_ms", i.config().retry().initialDelay().toMillis());
            retry.put("max_delay_ms", i.config().retry().maxDelay().toMillis());
            if (withDeadLetters) {
                ArrayNode dead = o.putArray("dead_letter_events");
                for (OutboxStore.OutboxRow row : dispatcher.deadLetters(i.name(), DEAD_LETTERS_SHOWN)) {
                    ObjectNode d = dead.addObject();
                    d.put("id", row.eventId());
                    d.put("attempts", row.attempts());
                    d.put("created_at", row.createdAt());
                    d.put("last_error", SecretMasking.mask(row.lastError()));
                    d.set("payload", Json.parseStored(row.payload()).get("payload"));
                }
            }
        }
        return o;
    }

    /** A list setting as an array, or the word "all" when it is empty (no restriction). */
    private static void putAllOr(ObjectNode o, String field, Collection<String> values) {
        if (values.isEmpty()) {
            o.put(field, "all");
        } else {
            values.forEach(o.putArray(field)::add);
        }
    }
}
