package org.kinto4j.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ResponseHook;
import org.kinto4j.listener.Settings;

/**
 * The {@link ListenerContext} a factory gets for one instance: a name, {@link TestSettings} and
 * a delivery mode ({@code in_transaction} unless set). Keeps the registered response hooks so a
 * test can run them with {@link #respond}, in registration order as the server does.
 *
 * <pre>{@code
 * TestListenerContext context = TestListenerContext.named("audit").settings(Map.of("level", "info"));
 * Listener listener = new AuditListenerFactory().create(context);
 * }</pre>
 *
 * <p>Immutable except for the hooks list, which is thread-safe.
 */
public final class TestListenerContext implements ListenerContext {

    private final String name;
    private final TestSettings settings;
    private final Delivery delivery;
    private final List<ResponseHook> hooks = new CopyOnWriteArrayList<>();

    private TestListenerContext(String name, TestSettings settings, Delivery delivery) {
        this.name = name;
        this.settings = settings;
        this.delivery = delivery;
    }

    /** An instance named {@code name}, with no settings, delivered {@code in_transaction}. */
    public static TestListenerContext named(String name) {
        return new TestListenerContext(name, TestSettings.none(name), Delivery.IN_TRANSACTION);
    }

    /** The same instance with these settings (see {@link TestSettings#of}). */
    public TestListenerContext settings(Map<String, ?> values) {
        return new TestListenerContext(name, TestSettings.of(name, values), delivery);
    }

    /** The same instance with this delivery mode. */
    public TestListenerContext delivery(Delivery mode) {
        return new TestListenerContext(name, settings, mode);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    /** The settings, typed, for {@link TestSettings#unreadKeys()}. */
    public TestSettings testSettings() {
        return settings;
    }

    @Override
    public Delivery delivery() {
        return delivery;
    }

    @Override
    public void onResponse(ResponseHook hook) {
        hooks.add(hook);
    }

    /** The hooks registered so far, in order. */
    public List<ResponseHook> responseHooks() {
        return List.copyOf(hooks);
    }

    /**
     * Runs every registered hook on {@code response}, in order, and returns it. Unlike the
     * server, which logs and ignores a hook's exception, this lets it propagate to the test.
     */
    public TestResponse respond(TestResponse response) throws Exception {
        for (ResponseHook hook : hooks) {
            hook.onResponse(response);
        }
        return response;
    }
}
