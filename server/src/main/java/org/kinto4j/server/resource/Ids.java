package org.kinto4j.server.resource;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/** Kinto's id rules (upstream kinto/core/resource/model.py and schema.py): one regex for all four resources; generated ids per kind. */
public final class Ids {

    private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_-]*$");
    private static final String FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String REST = FIRST + "_-";
    private static final int MAX_LENGTH = 256;

    private final SecureRandom random = new SecureRandom();

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }

    public String generate(ResourceKind kind) {
        if (kind.generatesUuid()) {
            return timeOrderedUuid();
        }
        char[] out = new char[8];
        out[0] = FIRST.charAt(random.nextInt(FIRST.length()));
        for (int i = 1; i < out.length; i++) {
            out[i] = REST.charAt(random.nextInt(REST.length()));
        }
        return new String(out);
    }

    /**
     * A record id: a lowercase UUID in version 4's layout (version 4, RFC variant, so that any
     * UUID4 check accepts it) whose first 48 bits are the creation time in ms and the other 74
     * random. Kinto's are random throughout; with the time first, a collection's new records land
     * at the end of its indexes (objects, permissions) instead of on a random page each, which on
     * H2 is read into the server's heap and evicted again (bench/RESULTS.md, "what holds the
     * delivery tail on H2").
     */
    private String timeOrderedUuid() {
        long mostSignificant = (System.currentTimeMillis() << 16) | 0x4000L | (random.nextInt() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
