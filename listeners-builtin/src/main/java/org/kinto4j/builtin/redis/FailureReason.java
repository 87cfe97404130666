package org.kinto4j.builtin.redis;

/** Turns a lettuce failure into one readable, password-free line. */
final class FailureReason {

    private FailureReason() {
    }

    /**
     * The exception's message followed by those of its causes that add something (lettuce wraps
     * "Connection refused" in "Unable to connect to ..."), with {@code url}'s password, should a
     * third-party message ever quote it, replaced by {@code ***}.
     */
    static String of(Throwable e, RedisUrl url) {
        StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !reason.toString().contains(message)) {
                reason.append(": ").append(message);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return scrub(reason.toString(), url.password());
    }

    private static String scrub(String message, String password) {
        return password == null || password.isEmpty() ? message : message.replace(password, "***");
    }
}
