package org.kinto4j.server.auth;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who makes a request: the prefixed user id (null when anonymous) and the principals the
 * authorization checks use.
 */
public record Caller(String userId, Set<String> principals) {

    public static final String EVERYONE = "system.Everyone";
    public static final String AUTHENTICATED = "system.Authenticated";
    public static final Caller ANONYMOUS = new Caller(null, Set.of(EVERYONE));

    public static Caller authenticated(String userId, Set<String> groups) {
        Set<String> p = new LinkedHashSet<>();
        p.add(userId);
        p.add(EVERYONE);
        p.add(AUTHENTICATED);
        p.addAll(groups);
        return new Caller(userId, Collections.unmodifiableSet(p));
    }

    public boolean isAnonymous() {
        return userId == null;
    }

    /** The principal added to {@code write} of what this caller writes (Kinto: system.Everyone when anonymous). */
    public String writerPrincipal() {
        return userId == null ? EVERYONE : userId;
    }
}
