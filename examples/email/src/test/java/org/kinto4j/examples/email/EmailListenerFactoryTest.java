package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.ListenerFactory;

class EmailListenerFactoryTest {

    @Test
    void isFoundByServiceLoaderUnderTheNameEmail() {
        assertThat(ServiceLoader.load(ListenerFactory.class).stream().map(provider -> provider.get().name()))
                .containsExactly("email");
    }

    @Test
    void declaresThePasswordSecret() {
        assertThat(new EmailListenerFactory().secretSettings()).containsExactly("password");
    }

    @Test
    void deliversDurablyByDefaultSoOnlyCommittedChangesAreMailed() {
        assertThat(new EmailListenerFactory().defaultDelivery()).isEqualTo(Delivery.DURABLE);
    }
}
