package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.Action;

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
        assertThat(EventMail.describe("send_email", TestEvent.of(action, resourceName, "basicauth:alice")).subject())
                .isEqualTo(subject);
    }

    @Test
    void bodyNamesThePrefixedUserId() {
        assertThat(EventMail.describe("send_email", TestEvent.of(Action.CREATE, "record", "basicauth:4195b8a0")).body())
                .isEqualTo("User id: basicauth:4195b8a0");
    }

    @Test
    void messageIdIsDerivedFromTheEventIdAndInstanceNameSoRedeliveriesShareIt() {
        TestEvent event = TestEvent.of(Action.CREATE, "record", "basicauth:alice");

        assertThat(EventMail.describe("send_email", event).messageId())
                .isEqualTo("<event-1.send_email@kinto4j>")
                .isEqualTo(EventMail.describe("send_email", event).messageId());
        assertThat(EventMail.describe("other mailer", event).messageId()).isEqualTo("<event-1.other-mailer@kinto4j>");
    }

    @Test
    void anonymousUserIsPrintedAsNoneLikeKintosPythonTutorial() {
        assertThat(EventMail.describe("send_email", TestEvent.of(Action.CREATE, "record", null)).body())
                .isEqualTo("User id: None");
    }
}
