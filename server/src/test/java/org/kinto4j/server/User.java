package org.kinto4j.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A basicauth user of the {@link KintoServer} test server, as a parameter: a {@link Client}
 * that sends the user's credentials, or a {@code String}, the user's id as the server reports
 * it ({@code basicauth:...}, read from {@code GET /v1/}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface User {

    /** The user name; the password is {@code secret}, or give {@code "name:password"}. */
    String value();
}
