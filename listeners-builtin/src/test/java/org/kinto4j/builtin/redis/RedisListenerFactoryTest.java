package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.kinto4j.builtin.redis.testing.RedisServerProcess;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.listener.SettingsException;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;

class RedisListenerFactoryTest {

    private final RedisListenerFactory factory = new RedisListenerFactory();

    @Test
    void serviceLoaderFindsItUnderTheNameRedis() {
        assertThat(ServiceLoader.load(ListenerFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(found -> {
                    assertThat(found).isInstanceOf(RedisListenerFactory.class);
                    assertThat(found.name()).isEqualTo("redis");
                });
    }

    @Test
    void defaultDeliveryIsDurable() {
        assertThat(factory.defaultDelivery()).isEqualTo(Delivery.DURABLE);
    }

    @Test
    void urlIsSecretBecauseItCarriesThePassword() {
        assertThat(factory.secretSettings()).containsExactly("url");
    }

    @Test
    void createFailsOnMalformedUrlNamingTheFullKey() {
        TestListenerContext context = TestListenerContext.named("queue").settings(Map.of("url", "redis:/cache:6379"));

        assertThatThrownBy(() -> factory.create(context))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.queue.url")
                .hasMessageContaining("'redis:/cache:6379'")
                .hasMessageContaining("redis://[:password@]host[:port][/db]");
    }

    @Test
    void createSucceedsWhenRedisIsDownAndPushesFailNamingInstanceAndUrl() throws Exception {
        int closedPort = RedisServerProcess.freePort();
        TestListenerContext context = TestListenerContext.named("queue").settings(
                Map.of("url", "redis://127.0.0.1:" + closedPort + "/0", "connect_timeout", "2s"));

        try (RedisListener listener = (RedisListener) factory.create(context)) {
            assertThatThrownBy(() -> listener.onEvent(recordCreated("r1")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .hasMessageContaining("redis listener 'queue'")
                    .hasMessageContaining("redis://127.0.0.1:" + closedPort + "/0")
                    .hasMessageContaining("onto list 'kinto.core.events'")
                    .hasMessageContaining("Connection refused");
        }
    }

    @Test
    void kintosPoolTimeoutIsAcceptedSoCarriedOverConfigurationsStillStart() throws Exception {
        TestListenerContext context = TestListenerContext.named("queue").settings(
                Map.of("url", "redis://127.0.0.1:" + RedisServerProcess.freePort() + "/0", "pool_timeout", "0.5"));

        try (RedisListener listener = (RedisListener) factory.create(context)) {
            assertThat(listener).isNotNull();
        }
    }

    /** A record creation in /buckets/b1/collections/c1, as Kinto reports it. */
    private static ResourceEvent recordCreated(String recordId) {
        return TestEvent.created("record").user("basicauth:0123abcd").object(Map.of("id", recordId)).build();
    }
}
