package org.kinto4j.examples.email;

import java.util.Map;

import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ResponseHook;
import org.kinto4j.listener.Settings;

/** The context of an instance named {@code send_email} with the given settings. */
record TestListenerContext(String name, Settings settings) implements ListenerContext {

    static final String INSTANCE_NAME = "send_email";

    static TestListenerContext withSettings(Map<String, Object> settings) {
        return new TestListenerContext(INSTANCE_NAME, new MapSettings(INSTANCE_NAME, settings));
    }

    @Override
    public void onResponse(ResponseHook hook) {
        throw new AssertionError("the email plugin registers no response hook");
    }
}
