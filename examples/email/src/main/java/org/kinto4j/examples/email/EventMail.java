package org.kinto4j.examples.email;

import org.kinto4j.listener.Action;
import org.kinto4j.listener.ResourceEvent;

/**
 * The mail describing one event, worded as in Kinto's tutorial: subject {@code "record created"},
 * body {@code "User id: basicauth:..."}.
 *
 * @param subject   {@code "<resource_name> <action in the past tense>"}
 * @param body      {@code "User id: <prefixed user id>"}, or {@code "User id: None"} for an
 *                  anonymous change (the tutorial prints Python's {@code None})
 * @param messageId the {@code Message-ID} header, derived from the event id and the instance
 *                  name: a redelivered event (durable delivery is at least once) produces the
 *                  same Message-ID, so mail systems can drop the duplicate
 */
record EventMail(String subject, String body, String messageId) {

    /** Printed for anonymous events, as Kinto's Python tutorial does. */
    static final String ANONYMOUS_USER_ID = "None";

    static EventMail describe(String instanceName, ResourceEvent event) {
        String subject = event.resourceName() + " " + pastTense(event.action());
        String body = "User id: " + event.userId().orElse(ANONYMOUS_USER_ID);
        String messageId = "<" + messageIdAtom(event.id()) + "." + messageIdAtom(instanceName) + "@kinto4j>";
        return new EventMail(subject, body, messageId);
    }

    /** Keeps the characters a Message-ID may hold unquoted (RFC 5322 dot-atom text, minus a few). */
    private static String messageIdAtom(String text) {
        return text.replaceAll("[^A-Za-z0-9._+-]", "-");
    }

    /** {@code created}, {@code updated}, {@code deleted}, and {@code read} (not the tutorial's "readd"). */
    private static String pastTense(Action action) {
        return action == Action.READ ? "read" : action.value() + "d";
    }
}
