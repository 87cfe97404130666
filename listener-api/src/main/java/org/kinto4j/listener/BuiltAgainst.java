package org.kinto4j.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the listener API version a {@link ListenerFactory} was compiled against. Write it
 * exactly like this, on the factory class:
 *
 * <pre>{@code
 * @BuiltAgainst(ListenerApi.VERSION)
 * public class AuditListenerFactory implements ListenerFactory { ... }
 * }</pre>
 *
 * <p>{@link ListenerApi#VERSION} is a compile-time constant, so {@code javac} writes its value
 * (the version of the listener-api jar on the plugin's compile classpath) into the plugin's
 * class file: the annotation keeps saying which API the plugin was built against, whatever
 * server later loads it. Never write the version as a literal.
 *
 * <p>At start-up the server reads it before creating any instance and refuses a plugin built
 * against a newer API than its own, naming both versions. A factory without the annotation is
 * treated as built against {@link ListenerApi#UNDECLARED_VERSION} and always loads; it then
 * fails only later, on the first call into a method the server lacks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BuiltAgainst {

    /** The {@link ListenerApi#VERSION} the factory was compiled against. */
    String value();
}
