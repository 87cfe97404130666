package org.kinto4j.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;

/**
 * Builds {@link ServerSettings} from {@code reference.conf}, the operator's file and the
 * environment, validating every value. Nothing else in the server reads {@code Config}.
 */
public final class ConfigLoader {

    private static final Set<String> SECRET_KEYS = Set.of(
            "storage.password", "userid_hmac_secret", "default_bucket_hmac_secret");
    private static final List<String> PRINCIPAL_RESOURCES = List.of("bucket", "collection", "group", "record");
    private static final List<String> ACTION_NAMES = List.of("create", "update", "delete", "read");

    private final EnvironmentOverrides env;

    public ConfigLoader(Map<String, String> environment) {
        this.env = new EnvironmentOverrides(environment);
    }

    /**
     * Loads the configuration.
     *
     * @param file the operator's file; {@code null} for defaults only
     */
    public ServerSettings load(Path file) {
        return settings(mergedConfig(file), file);
    }

    /** The settings of a configuration {@link #mergedConfig(Path)} returned for {@code file}. */
    public ServerSettings settings(Config merged, Path file) {
        return build(merged, file == null ? "defaults only" : file.toString());
    }

    /** reference.conf + file + environment, resolved. */
    public Config mergedConfig(Path file) {
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
        Config operator = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigError("Configuration file " + file + " does not exist or is not a file. "
                        + "Pass an existing file with --config, or omit --config to use conf/server.conf or the defaults.");
            }
            try {
                operator = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("Cannot read configuration file " + file + ": " + e.getMessage()
                        + ". It must be HOCON (a superset of JSON); see conf/server.conf for the syntax."
                        + unclosedHint(e.getMessage()), e);
            }
            UnknownKeys.check(operator, reference, file.toString());
        }
        Config merged;
        try {
            merged = operator.withFallback(reference).resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (ConfigException e) {
            throw new ConfigError("Cannot resolve the configuration: " + e.getMessage(), e);
        }
        merged = env.apply(merged);
        return withEnvironmentListeners(merged);
    }

    /** HOCON reports a block left open at the end of the file as a missing ')' or '}': say so. */
    private static String unclosedHint(String message) {
        return message != null && message.contains("end of file")
                ? " Hint: a '{' or '[' is probably not closed; the error is reported at the end of the file, "
                        + "but the unclosed block starts earlier (check that every block has its closing brace)."
                : "";
    }

    /** KINTO_EVENT_LISTENERS="a b" plus KINTO_EVENT_LISTENERS_A_USE=... defines listeners from the environment alone. */
    private Config withEnvironmentListeners(Config config) {
        String names = env.environment().get("KINTO_EVENT_LISTENERS");
        if (names == null) {
            return config;
        }
        Config result = config;
        for (String name : names.trim().split("\\s+")) {
            if (name.isEmpty()) {
                continue;
            }
            String path = "event_listeners." + quoteIfNeeded(name);
            if (!result.hasPath(path)) {
                result = result.withValue(path, ConfigValueFactory.fromMap(Map.of(), "environment variable KINTO_EVENT_LISTENERS"));
            }
        }
        // Keep only the listeners the variable names, in its order.
        ConfigObject all = result.getObject("event_listeners");
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String name : names.trim().split("\\s+")) {
            if (!name.isEmpty() && all.containsKey(name)) {
                kept.put(name, all.get(name).unwrapped());
            }
        }
        Config listeners = ConfigFactory.empty();
        int order = 0;
        for (String name : kept.keySet()) {
            listeners = listeners.withValue(quoteIfNeeded(name), all.get(name).withOrigin(
                    all.get(name).origin().withLineNumber(++order)));
        }
        return result.withValue("event_listeners", listeners.root());
    }

    private static String quoteIfNeeded(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    ServerSettings build(Config c, String source) {
        ConfigReader r = new ConfigReader(c, "", SECRET_KEYS);
        ServerSettings.Http http = new ServerSettings.Http(
                r.string("http.host"),
                r.integer("http.port", 0, 65535),
                r.integer("http.max_body_size", 1024, Integer.MAX_VALUE),
                r.integer("http.max_threads", 4, 10_000),
                validScheme(r),
                r.string("http.public_host"));
        String url = r.string("storage.url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigError("Invalid value for 'storage.url' in " + r.origin("storage.url") + ": \"" + url
                    + "\". Expected a JDBC URL starting with jdbc:h2: (embedded, the default "
                    + "jdbc:h2:file:./data/kinto4j) or jdbc:postgresql: (e.g. jdbc:postgresql://localhost:5432/kinto).");
        }
        ServerSettings.Storage storage = new ServerSettings.Storage(url,
                r.string("storage.user"), r.string("storage.password"),
                r.integer("storage.pool_size", 1, 1000, ServerSettings.Storage.isPostgres(url) ? 10 : 20),
                r.duration("storage.connection_timeout"),
                declaredIndexes(r));

        Map<String, Set<String>> principals = new TreeMap<>();
        principals.put("bucket_create_principals", Set.copyOf(r.list("bucket_create_principals")));
        principals.put("permissions_read_principals", Set.copyOf(r.list("permissions_read_principals")));
        for (String perm : List.of("create", "read", "write")) {
            principals.put("account_" + perm + "_principals", Set.copyOf(r.list("account_" + perm + "_principals")));
        }
        for (String resource : PRINCIPAL_RESOURCES) {
            for (String perm : List.of("create", "read", "write")) {
                String key = resource + "_" + perm + "_principals";
                if (c.hasPath(key)) {
                    principals.put(key, Set.copyOf(r.list(key)));
                }
            }
        }

        int paginateBy = r.integer("paginate_by", 0, Integer.MAX_VALUE);
        ServerSettings.Durable durable = new ServerSettings.Durable(
                r.duration("durable.poll_interval"),
                r.integer("durable.batch_size", 1, 10_000),
                r.duration("durable.claim_timeout"),
                r.duration("durable.keep_delivered"),
                // a round on PostgreSQL is a read and a commit: one per event costs more than the event
                r.duration("durable.linger", storage.isPostgres() ? Duration.ofMillis(5) : Duration.ZERO));
        ListenerConfig.RetryPolicy defaultRetry = retryPolicy(r, "durable.retry");
        Set<String> includes = PluginSettings.includes(r);
        List<String> policies = PluginSettings.policies(r, includes, principals);

        return new ServerSettings(
                http,
                storage,
                r.string("userid_hmac_secret"),
                r.string("default_bucket_hmac_secret"),
                Map.copyOf(principals),
                r.bool("explicit_permissions"),
                paginateBy,
                r.integer("storage_max_fetch_size", 1, Integer.MAX_VALUE),
                r.integer("pagination_token_validity_seconds", 1, Integer.MAX_VALUE),
                r.integer("batch_max_requests", 0, Integer.MAX_VALUE),
                r.bool("readonly"),
                r.bool("experimental_collection_schema_validation"),
                r.bool("experimental_permissions_endpoint"),
                r.string("project_name"),
                r.string("project_version"),
                r.string("project_docs"),
                r.string("error_info_link"),
                r.integer("backoff", 0, Integer.MAX_VALUE),
                r.integer("backoff_percentage", 0, 100),
                r.integer("retry_after_seconds", 0, Integer.MAX_VALUE),
                r.list("cors_origins"),
                r.integer("cors_max_age_seconds", -1, Integer.MAX_VALUE),
                r.bool("trailing_slash_redirect_enabled"),
                r.bool("version_prefix_redirect_enabled"),
                Set.copyOf(r.list("admin_principals")),
                Path.of(r.string("plugins_dir")),
                Includes.withIncludedListeners(includes, c, listeners(c, defaultRetry), defaultRetry),
                durable,
                includes,
                policies,
                r.integer("account_cache_ttl_seconds", 0, Integer.MAX_VALUE),
                r.integer("account_bcrypt_cost", 4, 31),
                new ServerSettings.Changes(r.bool("changes.enabled"), positive(r, "changes.heartbeat_interval"),
                        r.integer("changes.max_pending_bytes", 4096, Integer.MAX_VALUE),
                        positive(r, "changes.slow_client_timeout")),
                PrometheusSettings.read(r, r.string("project_name")),
                source);
    }

    private static Duration positive(ConfigReader r, String key) {
        Duration d = r.duration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigError("Invalid value for '" + r.fullKey(key) + "' in " + r.origin(key) + ": " + d
                    + ". Expected a positive duration such as 15s.");
        }
        return d;
    }

    private static List<String> declaredIndexes(ConfigReader r) {
        List<String> entries = r.list("storage.indexes");
        try {
            IndexDeclarations.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("Invalid value for 'storage.indexes' in " + r.origin("storage.indexes") + ": "
                    + e.getMessage() + ".");
        }
        return List.copyOf(entries);
    }

    private static String validScheme(ConfigReader r) {
        String scheme = r.string("http.scheme");
        if (!scheme.isEmpty()) {
            r.oneOf("http.scheme", List.of("http", "https"));
        }
        return scheme;
    }

    private static ListenerConfig.RetryPolicy retryPolicy(ConfigReader r, String prefix) {
        Duration initial = r.duration(prefix + ".initial_delay");
        Duration max = r.duration(prefix + ".max_delay");
        if (initial.isNegative() || initial.isZero()) {
            throw new ConfigError("Invalid value for '" + r.fullKey(prefix + ".initial_delay") + "' in "
                    + r.origin(prefix + ".initial_delay") + ": " + initial + ". Expected a positive duration such as 1s.");
        }
        if (max.compareTo(initial) < 0) {
            throw new ConfigError("Invalid value for '" + r.fullKey(prefix + ".max_delay") + "' in "
                    + r.origin(prefix + ".max_delay") + ": " + max + ". Expected a duration not smaller than "
                    + prefix + ".initial_delay (" + initial + ").");
        }
        return new ListenerConfig.RetryPolicy(r.integer(prefix + ".max_attempts", 1, 1_000_000), initial, max);
    }

    private List<ListenerConfig> listeners(Config c, ListenerConfig.RetryPolicy defaultRetry) {
        ConfigValue root = c.getValue("event_listeners");
        if (root.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigError("Invalid value for 'event_listeners' in " + root.origin().description()
                    + ": expected a block of listener instances, e.g. event_listeners { tracker { use = tracker } }. "
                    + "(To define listeners from the environment, set KINTO_EVENT_LISTENERS=\"name1 name2\".)");
        }
        ConfigObject blocks = (ConfigObject) root;
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(blocks.entrySet());
        entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        List<ListenerConfig> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : entries) {
            out.add(listener(c, entry.getKey(), entry.getValue(), defaultRetry));
        }
        return List.copyOf(out);
    }

    private ListenerConfig listener(Config c, String name, ConfigValue block, ListenerConfig.RetryPolicy defaultRetry) {
        String prefix = "event_listeners." + quoteIfNeeded(name);
        String keyPrefix = "event_listeners." + name;
        if (block.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigError("Invalid value for '" + keyPrefix + "' in " + block.origin().description()
                    + ": expected a block such as " + name + " { use = tracker }.");
        }
        Config own = ((ConfigObject) block).toConfig();
        own = withVariable(own, keyPrefix, "use");
        own = withVariable(own, keyPrefix, "actions");
        own = withVariable(own, keyPrefix, "resources");
        own = withVariable(own, keyPrefix, "delivery");
        for (String key : List.of("buckets", "collections", "replay_from")) {
            own = withVariable(own, keyPrefix, key);
        }
        ConfigReader r = new ConfigReader(own, keyPrefix, Set.of());
        if (!own.hasPath("use")) {
            throw new ConfigError("Listener '" + name + "' has no 'use' setting (" + keyPrefix + ".use): name the "
                    + "listener factory to run, e.g. use = redis, or a factory class name. Set it in conf/server.conf "
                    + "or with the environment variable " + EnvironmentOverrides.variableName(keyPrefix + ".use") + ".");
        }
        String use = r.string("use").trim();
        Set<Action> actions = EnumSet.noneOf(Action.class);
        List<String> actionNames = r.list("actions", List.of());
        for (String a : actionNames) {
            if (!ACTION_NAMES.contains(a.toLowerCase(Locale.ROOT))) {
                throw new ConfigError("Invalid value for '" + keyPrefix + ".actions' in " + r.origin("actions") + ": \"" + a
                        + "\" is not an action. Valid actions are create, update, delete, read "
                        + "(a list [create, delete] or Kinto's space-separated string \"create delete\"; commas inside the string are not separators).");
            }
            actions.add(Action.fromValue(a.toLowerCase(Locale.ROOT)));
        }
        if (actions.isEmpty()) {
            actions = EnumSet.of(Action.CREATE, Action.UPDATE, Action.DELETE);
        }
        Set<String> resources = new LinkedHashSet<>(r.list("resources", List.of()));
        Delivery delivery = null;
        if (own.hasPath("delivery")) {
            String d = r.oneOf("delivery", List.of("in_transaction", "after_commit", "durable"));
            delivery = Delivery.fromValue(d);
        }
        ListenerConfig.RetryPolicy retry = defaultRetry;
        if (own.hasPath("retry")) {
            Config merged = own.withFallback(ConfigFactory.empty()
                    .withValue("retry.max_attempts", ConfigValueFactory.fromAnyRef(defaultRetry.maxAttempts()))
                    .withValue("retry.initial_delay", ConfigValueFactory.fromAnyRef(defaultRetry.initialDelay().toMillis() + "ms"))
                    .withValue("retry.max_delay", ConfigValueFactory.fromAnyRef(defaultRetry.maxDelay().toMillis() + "ms")));
            retry = retryPolicy(new ConfigReader(merged, keyPrefix, Set.of()), "retry");
        }
        Config ownSettings = own;
        for (String k : ListenerConfig.SERVER_KEYS) {
            ownSettings = ownSettings.withoutPath(k);
        }
        return new ListenerConfig(name, use, Set.copyOf(actions), Set.copyOf(resources), delivery, retry, ownSettings,
                ListenerScope.read(r), ListenerScope.replayFrom(r));
    }

    private Config withVariable(Config own, String keyPrefix, String key) {
        String fullKey = keyPrefix + "." + key;
        String raw = env.get(fullKey);
        if (raw == null) {
            return own;
        }
        return own.withValue(key, EnvironmentOverrides.valueFromVariable(fullKey, raw));
    }

    /** The effective configuration as HOCON, secrets masked, for the start-up log. */
    public static String renderMasked(Config merged, Set<String> extraSecretKeys) {
        Config masked = merged.withoutPath("event_listeners");
        for (String key : SECRET_KEYS) {
            if (masked.hasPath(key) && !masked.getString(key).isEmpty()) {
                masked = masked.withValue(key, ConfigValueFactory.fromAnyRef("****"));
            }
        }
        Config listeners = merged.getConfig("event_listeners");
        for (Map.Entry<String, ConfigValue> e : listeners.entrySet()) {
            String leaf = e.getKey().substring(e.getKey().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (leaf.contains("password") || leaf.contains("secret") || leaf.contains("token")) {
                listeners = listeners.withValue(e.getKey(), ConfigValueFactory.fromAnyRef("****"));
            }
        }
        for (String key : extraSecretKeys) {
            String relative = key.startsWith("event_listeners.") ? key.substring("event_listeners.".length()) : key;
            if (listeners.hasPath(relative)) {
                listeners = listeners.withValue(relative, ConfigValueFactory.fromAnyRef("****"));
            }
        }
        masked = masked.withValue("event_listeners", listeners.root());
        return org.kinto4j.server.logging.SecretMasking.mask(
                masked.root().render(ConfigRenderOptions.concise().setFormatted(false).setJson(false)));
    }
}
