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
            return UUID.randomUUID().toString();
        }
        char[] out = new char[8];
        out[0] = FIRST.charAt(random.nextInt(FIRST.length()));
        for (int i = 1; i < out.length; i++) {
            out[i] = REST.charAt(random.nextInt(REST.length()));
        }
        return new String(out);
    }
}
