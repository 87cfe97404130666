package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.TestEvent;

class EventMailTest {

    @ParameterizedTest(name = "{1} {0} -> \"{2}\"")
    @CsvSource({
            "CREATE, record,     record created",
            "UPDATE, collection, collection updated",
            "DELETE, bucket,     bucket deleted",
            "CREATE, group,      group created",
            "READ,   record,     record read",
    })
    void subjectIsResourceNameAndActionInThePastTense(Action action, String resourceName, String subject) {
        ResourceEvent event = TestEvent.of(action, resourceName).user("basicauth:alice").build();
        assertThat(EventMail.describe("send_email", event).subject())
                .isEqualTo(subject);
    }

    @Test
    void bodyNamesThePrefixedUserId() {
        ResourceEvent event = TestEvent.of(Action.CREATE, "record").user("basicauth:4195b8a0").build();
        assertThat(EventMail.describe("send_email", event).body())
                .isEqualTo("User id: basicauth:4195b8a0");
    }

    @Test
    void messageIdIsDerivedFromTheEventIdAndInstanceNameSoRedeliveriesShareIt() {
        ResourceEvent event = TestEvent.of(Action.CREATE, "record").user("basicauth:alice").id("event-1").build();

        assertThat(EventMail.describe("send_email", event).messageId())
                .isEqualTo("<event-1.send_email@kinto4j>")
                .isEqualTo(EventMail.describe("send_email", event).messageId());
        assertThat(EventMail.describe("other mailer", event).messageId()).isEqualTo("<event-1.other-mailer@kinto4j>");
    }

    @Test
    void anonymousUserIsPrintedAsNoneLikeKintosPythonTutorial() {
        assertThat(EventMail.describe("send_email", TestEvent.of(Action.CREATE, "record").user(null).build()).body())
                .isEqualTo("User id: None");
    }
}
