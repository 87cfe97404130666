package org.kinto4j.server.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.ExposedResource;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.ResponseHook;
import org.kinto4j.listener.Settings;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.config.EnvironmentOverrides;
import org.kinto4j.server.config.ListenerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured listener instances from the discovered factories, in configuration
 * order, and owns them until shutdown. Finding a factory is not enabling it: only instances
 * named under {@code event_listeners} run.
 */
public final class ListenerRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    /** A response hook and the instance that registered it. */
    public record NamedHook(String instance, ResponseHook hook, ClassLoader classLoader) {
    }

    /** A list of a listener's objects served under each bucket ({@link ListenerContext#exposeUnderBuckets}). */
    public record Exposure(String instance, ExposedResource resource) {
    }

    private final List<ListenerInstance> instances;
    private final List<NamedHook> hooks;
    private final List<Exposure> exposures;

    private ListenerRegistry(List<ListenerInstance> instances, List<NamedHook> hooks, List<Exposure> exposures) {
        this.instances = List.copyOf(instances);
        this.hooks = List.copyOf(hooks);
        this.exposures = List.copyOf(exposures);
    }

    public static ListenerRegistry create(List<ListenerConfig> configs, List<PluginLoader.FoundFactory> found,
            EnvironmentOverrides env) {
        Map<String, PluginLoader.FoundFactory> byName = new LinkedHashMap<>();
        for (PluginLoader.FoundFactory f : found) {
            PluginLoader.FoundFactory previous = byName.putIfAbsent(f.factory().name(), f);
            if (previous != null) {
                throw new ConfigError("Two listener factories are named '" + f.factory().name() + "': "
                        + previous.factory().getClass().getName() + " from " + previous.origin() + " and "
                        + f.factory().getClass().getName() + " from " + f.origin()
                        + ". Factory names must be unique: remove one of the plugins from the plugins folder.");
            }
        }
        List<ListenerInstance> instances = new ArrayList<>();
        List<NamedHook> hooks = new CopyOnWriteArrayList<>();
        List<Exposure> exposures = new ArrayList<>();
        try {
            for (ListenerConfig config : configs) {
                instances.add(createInstance(config, byName, env, hooks, exposures));
            }
        } catch (RuntimeException e) {
            closeAll(instances);
            throw e;
        }
        return new ListenerRegistry(instances, hooks, exposures);
    }

    private static PluginLoader.FoundFactory resolve(ListenerConfig config, Map<String, PluginLoader.FoundFactory> byName) {
        PluginLoader.FoundFactory f = byName.get(config.use());
        if (f != null) {
            return f;
        }
        for (PluginLoader.FoundFactory candidate : byName.values()) {
            if (candidate.factory().getClass().getName().equals(config.use())) {
                return candidate;
            }
        }
        StringBuilder available = new StringBuilder();
        for (PluginLoader.FoundFactory candidate : byName.values()) {
            available.append(available.length() == 0 ? "" : ", ").append(candidate.factory().name())
                    .append(" (").append(candidate.origin()).append(")");
        }
        throw new ConfigError("Listener '" + config.name() + "' uses '" + config.use() + "' (" + config.keyPrefix()
                + ".use), but no installed listener factory has that name or class name. Available: "
                + (available.length() == 0 ? "none" : available)
                + ". Put the plugin's jar into the plugins folder (setting plugins_dir), or fix the name.");
    }

    private static ListenerInstance createInstance(ListenerConfig config, Map<String, PluginLoader.FoundFactory> byName,
            EnvironmentOverrides env, List<NamedHook> hooks, List<Exposure> exposures) {
        PluginLoader.FoundFactory found = resolve(config, byName);
        ListenerFactory factory = found.factory();
        ListenerSettings settings = new ListenerSettings(config.name(), config.ownSettings(), env);
        Delivery delivery = config.delivery() != null ? config.delivery() : factory.defaultDelivery();
        java.util.concurrent.atomic.AtomicBoolean creating = new java.util.concurrent.atomic.AtomicBoolean(true);
        ListenerContext context = new ListenerContext() {
            @Override
            public void exposeUnderBuckets(ExposedResource resource) {
                if (!creating.get()) {
                    throw new IllegalStateException("exposeUnderBuckets() must be called during ListenerFactory.create()");
                }
                for (Exposure other : exposures) {
                    if (other.resource().name().equals(resource.name())) {
                        throw new ConfigError("Listeners '" + other.instance() + "' and '" + config.name()
                                + "' both expose /v1/buckets/{bid}/" + resource.name() + ": configure only one of them.");
                    }
                }
                exposures.add(new Exposure(config.name(), resource));
            }

            @Override
            public String name() {
                return config.name();
            }

            @Override
            public Settings settings() {
                return settings;
            }

            @Override
            public void onResponse(ResponseHook hook) {
                hooks.add(new NamedHook(config.name(), hook, found.classLoader()));
            }

            @Override
            public Delivery delivery() {
                return delivery;
            }
        };
        Listener listener;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(found.classLoader());
        try {
            listener = factory.create(context);
        } catch (Throwable e) {
            throw new ConfigError("Listener '" + config.name() + "' (use = " + config.use() + ", from " + found.origin()
                    + ") failed to start: " + e.getMessage() + " [" + e.getClass().getName() + "]"
                    + PluginError.hint(e), e);
        } finally {
            creating.set(false);
            thread.setContextClassLoader(previous);
        }
        if (listener == null) {
            throw new ConfigError("Listener '" + config.name() + "': factory " + factory.getClass().getName()
                    + " returned null from create(); it must return a Listener.");
        }
        Set<String> secrets = Set.copyOf(factory.secretSettings());
        ListenerInstance instance = new ListenerInstance(config, factory.name(), found.origin(), delivery, listener,
                found.classLoader(), secrets);
        LOG.info("Setting up '{}' listener: {}", config.name(), instance.describe());
        for (String key : settings.unread()) {
            LOG.warn("Setting '{}.{}' ({}) was never read by listener '{}' (use = {}): check its spelling; "
                    + "the listener ignores it", config.keyPrefix(), key, settings.origin(key), config.name(), config.use());
        }
        return instance;
    }

    public List<ListenerInstance> instances() {
        return instances;
    }

    public List<Exposure> exposures() {
        return exposures;
    }

    public List<NamedHook> responseHooks() {
        return hooks;
    }

    public boolean wantsReads() {
        return instances.stream().anyMatch(ListenerInstance::wantsReads);
    }

    /** Setting keys declared secret by the factories, as full keys, for log masking. */
    public Set<String> secretKeys() {
        Set<String> out = new java.util.HashSet<>();
        for (ListenerInstance i : instances) {
            for (String k : i.secretKeys()) {
                out.add(i.config().keyPrefix() + "." + k);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closeAll(instances);
    }

    private static void closeAll(List<ListenerInstance> instances) {
        for (ListenerInstance i : instances) {
            try {
                i.close();
            } catch (Exception e) {
                LOG.warn("Listener '{}' failed to close: {}", i.name(), e.toString());
            }
        }
    }
}
