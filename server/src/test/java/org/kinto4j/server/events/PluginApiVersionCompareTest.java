package org.kinto4j.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Listener API versions compare number by number. */
class PluginApiVersionCompareTest {

    @Test
    void partsCompareAsNumbersAndMissingPartsAsZero() {
        assertThat(PluginApiVersion.compare("1.10", "1.9")).isPositive();
        assertThat(PluginApiVersion.compare("1.1", "1.1.0")).isZero();
        assertThat(PluginApiVersion.compare("1.0", "1.1")).isNegative();
        assertThat(PluginApiVersion.compare("2.0", "1.99")).isPositive();
    }

    @Test
    void anUnreadableVersionCountsAsNewer() {
        assertThat(PluginApiVersion.compare("1.x", "1.1")).isPositive();
    }
}
