package org.kinto4j.server.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/** If-Match / If-None-Match parsed and checked, without a server; the HTTP edge turns the errors into 400 and 412. */
class PreconditionsTest {

    private static final com.fasterxml.jackson.databind.JsonNode STORED = Json.parseStored("{\"id\":\"r\",\"last_modified\":42}");

    @Test
    void starAndQuotedIntegersAreReadAnythingElseNamesTheHeader() throws Exception {
        assertThat(Preconditions.of("\"42\"", "*")).isEqualTo(new Preconditions(42L, Preconditions.ANY));
        assertThat(Preconditions.of(null, null).none()).isTrue();
        for (String bad : new String[] {"42", "\"\"", "\"4x\"", "W/\"42\""}) {
            assertThatThrownBy(() -> Preconditions.of(bad, null)).isInstanceOfSatisfying(ServiceError.class, e -> {
                assertThat(e.kind()).isEqualTo(ServiceError.Kind.INVALID);
                assertThat(e.details().get(0).path("name").asText()).isEqualTo("If-Match");
            });
        }
    }

    @Test
    void aReadIsNotModifiedWhenTheVersionMatchesIfNoneMatch() throws Exception {
        assertThat(Preconditions.of(null, "\"42\"").checkRead(42, STORED)).isTrue();
        assertThat(Preconditions.of(null, "\"41\"").checkRead(42, STORED)).isFalse();
        assertThatThrownBy(() -> Preconditions.of("\"41\"", null).checkRead(42, STORED))
                .isInstanceOfSatisfying(ServiceError.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceError.Kind.MODIFIED_MEANWHILE);
                    assertThat(e.currentVersion()).isEqualTo(42L);
                    assertThat(e.details().path("existing")).isEqualTo(STORED);
                });
    }

    @Test
    void aWriteBasedOnAnOlderVersionOrCreatingWhatExistsIsRefused() throws Exception {
        Preconditions.of("\"42\"", null).checkWrite(STORED);
        assertThatThrownBy(() -> Preconditions.of("\"7\"", null).checkWrite(STORED))
                .isInstanceOfSatisfying(ServiceError.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceError.Kind.MODIFIED_MEANWHILE));
        assertThatThrownBy(() -> Preconditions.of(null, "*").checkWrite(STORED))
                .isInstanceOfSatisfying(ServiceError.class, e -> assertThat(e.currentVersion()).isEqualTo(42L));
        // If-Match on an object that does not exist: the list's timestamp is the version it has now
        assertThatThrownBy(() -> Preconditions.of("\"1\"", null).checkWrite(null, () -> 99L))
                .isInstanceOfSatisfying(ServiceError.class, e -> {
                    assertThat(e.currentVersion()).isEqualTo(99L);
                    assertThat(e.details()).isNull();
                });
        Preconditions.of(null, "*").checkWrite(null);
    }
}
