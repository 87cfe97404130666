package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.TestEvent;

class RedisMessageTest {

    @Test
    void messageIsKintosPayloadPlusTheEventId() {
        ResourceEvent event = recordCreated("r1");
        String message = RedisMessage.of(event);
        assertThat(message).startsWith("{\"id\":\"" + event.id() + "\",");
        assertThat(message.substring(message.indexOf(',') + 1)).isEqualTo(event.json().substring(1));
    }

    /** A record creation in /buckets/b1/collections/c1, as Kinto reports it. */
    private static ResourceEvent recordCreated(String recordId) {
        return TestEvent.created("record").user("basicauth:0123abcd").object(Map.of("id", recordId)).build();
    }
}
