package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kinto4j.builtin.redis.testing.FakeResourceEvent;

class RedisMessageTest {

    @Test
    void messageIsKintosPayloadPlusTheEventId() {
        FakeResourceEvent event = FakeResourceEvent.recordCreated("r1");
        String message = RedisMessage.of(event);
        assertThat(message).startsWith("{\"id\":\"" + event.id() + "\",");
        assertThat(message.substring(message.indexOf(',') + 1)).isEqualTo(event.json().substring(1));
    }
}
