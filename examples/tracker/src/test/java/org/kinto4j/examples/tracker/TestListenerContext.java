package org.kinto4j.examples.tracker;

import java.util.ArrayList;
import java.util.List;

import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ResponseHook;
import org.kinto4j.listener.Settings;

/** A {@link ListenerContext} that keeps the registered response hooks for the test to call. */
final class TestListenerContext implements ListenerContext {

    final List<ResponseHook> responseHooks = new ArrayList<>();

    @Override
    public String name() {
        return "tracker";
    }

    @Override
    public Settings settings() {
        throw new AssertionError("the tracker has no settings and must not read any");
    }

    @Override
    public void onResponse(ResponseHook hook) {
        responseHooks.add(hook);
    }
}
