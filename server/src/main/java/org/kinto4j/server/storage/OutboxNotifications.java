package org.kinto4j.server.storage;

/**
 * PostgreSQL only: wakes the durable dispatcher when <em>another</em> process commits outbox
 * rows, so the process holding an instance's lease delivers at once instead of at its next
 * {@code durable.poll_interval}. Writers {@code NOTIFY} the {@value #CHANNEL} channel, signed with
 * their process id, in the transaction that inserts outbox rows ({@link OutboxStore#append};
 * PostgreSQL delivers it at commit, never for a rollback). A subscriber of the process's one
 * listening connection ({@link PgNotifications}), which reconnects when it is lost: once
 * listening again it wakes the dispatcher, since what was committed meanwhile was not announced.
 * The process's own notifications are ignored: its dispatcher was woken directly at the commit.
 */
public final class OutboxNotifications implements PgNotifications.Subscriber {

    /** The notification channel. */
    static final String CHANNEL = "kinto4j_outbox";

    private final String process;
    private final Runnable wake;

    private OutboxNotifications(String process, Runnable wake) {
        this.process = process;
        this.wake = wake;
    }

    /** Calls {@code wake} for each outbox commit of a process other than {@code process} (as given to {@link OutboxStore#append}). */
    public static void subscribe(PgNotifications notifications, String process, Runnable wake) {
        notifications.subscribe(CHANNEL, new OutboxNotifications(process, wake));
    }

    @Override
    public void onNotification(String payload) {
        if (!process.equals(payload)) {
            wake.run();
        }
    }

    @Override
    public void onListening(boolean listening) {
        if (listening) {
            wake.run();
        }
    }
}
