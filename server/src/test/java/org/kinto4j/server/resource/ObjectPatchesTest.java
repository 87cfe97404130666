package org.kinto4j.server.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/** The three PATCH formats and Kinto's light/diff answers, without a server. */
class ObjectPatchesTest {

    private static final Target RECORD = new Target(ResourceKind.RECORD, false, "b", "c", "r");

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.parse(text);
    }

    @Test
    void mergePatchRemovesNullsMergesNestedObjectsAndReplacesTheRest() throws Exception {
        ObjectNode target = json("{\"a\":1,\"gone\":true,\"nested\":{\"x\":1,\"y\":2},\"list\":[1,2]}");
        ObjectPatches.mergePatch(target, json("{\"gone\":null,\"nested\":{\"y\":null,\"z\":3},\"list\":[3],"
                + "\"fresh\":{\"k\":null,\"v\":1}}"));
        assertThat(target).isEqualTo(json("{\"a\":1,\"nested\":{\"x\":1,\"z\":3},\"list\":[3],\"fresh\":{\"v\":1}}"));
    }

    @Test
    void jsonPatchChangesDataAndPermissionsWhosePrincipalsAreTheValues() throws Exception {
        ObjectNode data = json("{\"id\":\"r\",\"title\":\"a\"}");
        Map<String, Set<String>> acl = new TreeMap<>(Map.of("read", Set.of("alice")));
        ObjectPatches.applyJsonPatch(RECORD, data, acl, Json.parse("[{\"op\":\"replace\",\"path\":\"/data/title\","
                + "\"value\":\"b\"},{\"op\":\"add\",\"path\":\"/permissions/read/bob\"},"
                + "{\"op\":\"add\",\"path\":\"/permissions/write\",\"value\":[\"carol\"]}]"));
        assertThat(data).isEqualTo(json("{\"id\":\"r\",\"title\":\"b\"}"));
        assertThat(acl).containsEntry("read", Set.of("alice", "bob")).containsEntry("write", Set.of("carol"));
    }

    @Test
    void jsonPatchRefusesAnUnknownPermissionAndDataThatStopsBeingAnObject() throws Exception {
        Map<String, Set<String>> acl = new TreeMap<>();
        assertThatThrownBy(() -> ObjectPatches.applyJsonPatch(RECORD, json("{\"id\":\"r\"}"), acl,
                Json.parse("[{\"op\":\"add\",\"path\":\"/permissions/admin\",\"value\":[\"x\"]}]")))
                .isInstanceOfSatisfying(ServiceError.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceError.Kind.INVALID);
                    assertThat(e.getMessage()).contains("Unrecognized keys in mapping: 'admin'");
                });
        assertThatThrownBy(() -> ObjectPatches.applyJsonPatch(RECORD, json("{\"id\":\"r\"}"), acl,
                Json.parse("[{\"op\":\"replace\",\"path\":\"/data\",\"value\":3}]")))
                .isInstanceOf(ServiceError.class).hasMessageContaining("data must stay an object");
    }

    @Test
    void lightAnswersTheRequestedFieldsThatChangedDiffOnlyThoseStoredDifferentlyThanSent() throws Exception {
        ObjectNode existing = json("{\"id\":\"r\",\"a\":1,\"b\":1,\"c\":1}");
        ObjectNode requested = json("{\"a\":1,\"b\":2,\"c\":{\"n\":1}}");
        ObjectNode updated = json("{\"id\":\"r\",\"a\":1,\"b\":2,\"c\":{\"n\":1,\"m\":0},\"last_modified\":5}");
        assertThat(ObjectPatches.partialResponse("light", existing, requested, updated))
                .isEqualTo(json("{\"b\":2,\"c\":{\"n\":1,\"m\":0}}"));
        assertThat(ObjectPatches.partialResponse("diff", existing, requested, updated))
                .isEqualTo(json("{\"c\":{\"n\":1,\"m\":0}}"));
    }

    @Test
    void projectionKeepsIdTimestampAndTheDottedFieldsAskedFor() throws Exception {
        ObjectNode obj = json("{\"id\":\"r\",\"last_modified\":3,\"title\":\"t\",\"author\":{\"name\":\"n\",\"age\":4},"
                + "\"other\":1}");
        assertThat(Projection.project(obj, Projection.fields("title, author.name,,missing.x")))
                .isEqualTo(json("{\"id\":\"r\",\"last_modified\":3,\"title\":\"t\",\"author\":{\"name\":\"n\"}}"));
        assertThat(Projection.fields(null)).isNull();
    }
}
