package org.kinto4j.builtin.redis.testing;

import java.util.Map;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ResponseHook;
import org.kinto4j.listener.Settings;

/** A {@link ListenerContext} holding an instance name and its settings. Test-only. */
public record FakeListenerContext(String name, Settings settings) implements ListenerContext {

    /** An instance named {@code name} with these settings. */
    public static FakeListenerContext of(String name, Map<String, Object> settings) {
        return new FakeListenerContext(name, new FakeSettings(name, settings));
    }

    @Override
    public void onResponse(ResponseHook hook) {
        throw new UnsupportedOperationException("the redis listener registers no response hook");
    }
}
