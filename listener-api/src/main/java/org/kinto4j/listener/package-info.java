/**
 * The contract between kinto4j and event-listener plugins.
 *
 * <h2>What a plugin is</h2>
 * A plugin is a jar (or a folder of jars) dropped into the server's {@code plugins_dir}. It
 * declares one or more {@link org.kinto4j.listener.ListenerFactory} implementations in
 * {@code META-INF/services/org.kinto4j.listener.ListenerFactory}. Finding a factory does not
 * enable it: the operator creates <em>instances</em> by naming the factory in
 * {@code conf/server.conf}:
 *
 * <pre>{@code
 * event_listeners {
 *   audit {                 # instance name
 *     use = my-audit        # ListenerFactory.name(), or the factory's class name
 *     actions = [create, delete]
 *     resources = [record]
 *     delivery = after_commit
 *     endpoint = "https://audit.example.com"   # the listener's own setting
 *   }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * At start the server calls {@link org.kinto4j.listener.ListenerFactory#create} once per
 * configured instance, on the main thread, before the HTTP port opens. A factory that throws
 * stops the start with a message naming the instance. At shutdown, after the HTTP server has
 * drained and durable delivery has stopped, {@link org.kinto4j.listener.Listener#close()} is
 * called once per instance.
 *
 * <h2>Delivery modes</h2>
 * Each instance has one delivery mode, chosen by the operator ({@code delivery = ...}):
 * <ul>
 *   <li>{@code in_transaction} (default, Kinto's semantics): {@code onEvent} runs on the
 *       request thread after the change and before the commit. {@link
 *       org.kinto4j.listener.ResourceEvent#storage()} writes join the request's transaction.
 *       An exception rolls the whole request back and the client gets a 500.</li>
 *   <li>{@code after_commit}: {@code onEvent} runs on the request thread right after the
 *       commit and before the response is written. Exceptions are logged with the instance
 *       name and the event id; the response is unaffected. The event is not retried.</li>
 *   <li>{@code durable}: the event is written to an outbox in the request's transaction and
 *       delivered after commit by a background dispatcher thread, in commit order, at least
 *       once, retried with backoff and finally dead-lettered. The event id is stable across
 *       redeliveries, so consumers can deduplicate.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * In {@code in_transaction} and {@code after_commit} modes {@code onEvent} is called from many
 * request threads at once: a listener must be thread-safe. In {@code durable} mode one
 * dispatcher thread calls one instance at a time, in commit order. The thread context
 * classloader is the plugin's own classloader during every call into plugin code.
 *
 * <h2>Ordering</h2>
 * Within one request, events are delivered in the order their changes were made, merged by
 * Kinto's rules (one event per resource, parent and action). Instances are called in the order
 * they appear in the configuration.
 *
 * <h2>Isolation</h2>
 * Each plugin has its own classloader whose parent is the platform classloader; only
 * {@code org.kinto4j.listener.*} and {@code org.slf4j.*} come from the server (the server's
 * {@code PluginLoader.SHARED_PACKAGES}). A plugin may bundle any other library (its own
 * Jackson, mail or HTTP client) without clashing with the server.
 * Event data is therefore exposed as plain JDK types only: {@code Map}, {@code List},
 * {@code String}, {@code Number} ({@code Long}, {@code BigInteger}, {@code Double} or
 * {@code BigDecimal}), {@code Boolean} and {@code null}.
 *
 * <h2>Logging</h2>
 * Plugins log through SLF4J 2 ({@code org.slf4j:slf4j-api}), which the server shares with
 * them: declare {@code slf4j-api} with {@code provided} scope and bundle neither it nor a
 * binding; plugin log lines go to the server's log, configured by the server (built-in default, or the operator's {@code conf/logback.xml}).
 *
 * <h2>Versions</h2>
 * {@link org.kinto4j.listener.ListenerApi#VERSION} is this API's version. Annotate each factory
 * with {@code @BuiltAgainst(ListenerApi.VERSION)}: the server then refuses, at start-up and with
 * both versions named, a plugin built against a newer API than its own, instead of failing on
 * the first event. The API only grows by new types and default methods, so older plugins keep
 * loading.
 *
 * <h2>Testing</h2>
 * The {@code kinto4j-listener-testkit} artifact (test scope) has what a plugin's unit tests
 * need without a server: {@code TestListenerContext}, {@code TestSettings}, {@code TestEvent},
 * {@code InMemoryListenerStorage} and {@code TestResponse}.
 */
package org.kinto4j.listener;
