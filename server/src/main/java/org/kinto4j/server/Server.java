package org.kinto4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import org.kinto4j.server.auth.DefaultBucketIds;
import org.kinto4j.server.config.EnvironmentOverrides;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.DurableDispatcher;
import org.kinto4j.server.events.EventPipeline;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.events.Outbox;
import org.kinto4j.server.events.PluginLoader;
import org.kinto4j.server.events.Replays;
import org.kinto4j.server.feed.ChangeFeed;
import org.kinto4j.server.http.ChangeFeedFilter;
import org.kinto4j.server.http.ConsoleFilter;
import org.kinto4j.server.http.HttpServer;
import org.kinto4j.server.http.KintoApi;
import org.kinto4j.server.http.ListenerOperationsEndpoint;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.HelloView;
import org.kinto4j.server.http.ResourceHandler;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.DeclaredIndexes;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.ServerInfo;
import org.kinto4j.server.storage.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component, in a fixed order, from the typed settings, and
 * stops them in reverse order. No other class wires components together.
 */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final Database database;
    private final ListenerRegistry listeners;
    private final DurableDispatcher dispatcher;
    private final HttpServer http;
    private final ChangeFeed feed;
    private final AutoCloseable metrics;

    private Server(Database database, ListenerRegistry listeners, DurableDispatcher dispatcher, HttpServer http,
            ChangeFeed feed, AutoCloseable metrics) {
        this.feed = feed;
        this.metrics = metrics;
        this.database = database;
        this.listeners = listeners;
        this.dispatcher = dispatcher;
        this.http = http;
    }

    /** Builds and starts everything; the HTTP port opens last. */
    public static Server start(ServerSettings settings, Map<String, String> environment) {
        LOG.info("Starting kinto4j {} ({}), storage {}", version(), settings.source(), maskUrl(settings.storage().url()));
        Database database = new Database(settings.storage());
        ListenerRegistry listeners = null;
        DurableDispatcher dispatcher = null;
        ChangeFeed feed = null;
        try {
            new Migrations(database.jdbi(), database.dialect()).migrate();
            DeclaredIndexes.create(database.jdbi(), database.dialect(), DeclaredIndexes.parse(settings.storage().indexes()));
            new UseridSecretCheck(new ServerInfo(database.jdbi(), database.dialect())).check(settings.useridHmacSecret());
            Transactions transactions = new Transactions(database);
            ObjectStore objects = new ObjectStore(System::currentTimeMillis);
            PermissionStore permissions = PermissionStore.forDatabase(database);
            Authorizer authorizer = new Authorizer(permissions, settings);

            PluginLoader plugins = new PluginLoader(Server.class.getClassLoader());
            listeners = ListenerRegistry.create(settings.listeners(), plugins.discover(settings.pluginsDir()),
                    new EnvironmentOverrides(environment));
            String process = DurableDispatcher.newProcessId();
            Outbox outbox = new Outbox(System::currentTimeMillis, process);
            EventPipeline pipeline = new EventPipeline(listeners, objects, permissions, outbox);
            dispatcher = new DurableDispatcher(database, transactions, listeners, settings.durable(),
                    System::currentTimeMillis, process);
            outbox.onCommitted(dispatcher::wake);
            Replays replays = new Replays(transactions, outbox, dispatcher.states());
            replays.runConfigured(listeners.instances());

            ResourceHandler resources = new ResourceHandler(objects, permissions, authorizer, settings,
                    System::currentTimeMillis);
            DefaultBucketIds defaultBuckets = new DefaultBucketIds(settings.defaultBucketHmacSecret());
            HelloView hello = new HelloView(settings, defaultBuckets, version(),
                    listeners.instances().size());
            IncludedPlugins included = IncludedPlugins.create(settings, transactions, objects, permissions, authorizer);
            KintoApi api = new KintoApi(settings, transactions, included.authenticator(),
                    defaultBuckets, permissions, resources, pipeline, hello,
                    new ListenerOperationsEndpoint(settings, listeners, dispatcher, replays), included.accounts(), included.flush());
            BucketExtensionsSetup.wire(api, hello, listeners, objects, permissions, authorizer, settings);
            HttpServer http = new HttpServer(settings, api, listeners, transactions, objects);
            AutoCloseable metrics = MetricsSetup.wire(settings, database, listeners, hello, http);
            feed = new ChangeFeed(settings.changes(), settings.storage(), Transactions.readOnly(database), authorizer,
                    permissions);
            pipeline.observe(feed);
            http.addFilter(new ChangeFeedFilter(settings, api, defaultBuckets, feed));
            http.addFilter(new ConsoleFilter());
            dispatcher.start();
            feed.start();
            http.start();
            return new Server(database, listeners, dispatcher, http, feed, metrics);
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            if (dispatcher != null) {
                dispatcher.close();
            }
            if (listeners != null) {
                listeners.close();
            }
            database.close();
            throw e;
        }
    }

    /** Holds the embedded database's file writes until the handle is closed (fault tests, {@link Database#holdFileWrites()}). */
    AutoCloseable holdFileWrites() {
        return database.holdFileWrites();
    }

    public int port() {
        return http.port();
    }

    /** Full keys of settings the listener factories declared secret, for masking. */
    public java.util.Set<String> secretKeys() {
        return listeners.secretKeys();
    }

    /** Stops accepting requests, lets in-flight ones finish, then stops delivery, listeners and the pool. */
    @Override
    public void close() {
        LOG.info("Stopping kinto4j");
        try {
            feed.close(); // open streams end first, so the HTTP server need not wait for them
            http.close();
        } finally {
            try {
                dispatcher.close();
            } finally {
                try {
                    listeners.close();
                } finally {
                    closeMetrics();
                    database.close();
                }
            }
        }
        LOG.info("kinto4j stopped");
    }

    private void closeMetrics() {
        if (metrics != null) {
            try {
                metrics.close();
            } catch (Exception e) {
                LOG.warn("Closing the metrics failed: {}", e.toString());
            }
        }
    }

    public static String version() {
        try (InputStream in = Server.class.getClassLoader().getResourceAsStream("kinto4j-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static String maskUrl(String url) {
        return org.kinto4j.server.logging.SecretMasking.mask(url);
    }

}
