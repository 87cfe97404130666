package bench.noop;

import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;

/** A listener that does nothing: measures the cost of the in_transaction delivery path itself. */
public class NoopListenerFactory implements ListenerFactory {

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public Listener create(ListenerContext context) {
        return event -> { };
    }
}
