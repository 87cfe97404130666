package org.kinto4j.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;

/**
 * Kinto's {@code kinto.includes} with short names: {@code includes = [accounts, history, flush,
 * prometheus]}. Including {@code history} configures the built-in history listener as the
 * instance {@code history}, from the top-level {@code history} block (Kinto's {@code history.*}
 * settings) and {@code explicit_permissions}.
 */
public final class Includes {

    private Includes() {
    }

    /** The configured listeners, preceded by the ones {@code includes} turns on. */
    static List<ListenerConfig> withIncludedListeners(Set<String> includes, Config c, List<ListenerConfig> configured,
            ListenerConfig.RetryPolicy retry) {
        if (!includes.contains("history")) {
            return configured;
        }
        for (ListenerConfig l : configured) {
            if (l.name().equals("history")) {
                throw new ConfigError("'includes' contains history, which runs a listener named 'history', and "
                        + "event_listeners.history is configured too: rename that instance, or remove history from includes.");
            }
        }
        Config own = c.hasPath("history") ? c.getConfig("history") : ConfigFactory.empty();
        own = own.withValue("explicit_permissions", ConfigValueFactory.fromAnyRef(c.getBoolean("explicit_permissions")));
        ListenerConfig history = new ListenerConfig("history", "history",
                Set.copyOf(EnumSet.of(Action.CREATE, Action.UPDATE, Action.DELETE)),
                Set.of("bucket", "collection", "group", "record"), Delivery.IN_TRANSACTION, retry, own);
        List<ListenerConfig> out = new ArrayList<>();
        out.add(history);
        out.addAll(configured);
        return List.copyOf(out);
    }
}
