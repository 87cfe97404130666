package org.kinto4j.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one real server ({@link TestServer}: a free port, a temporary H2 database) for the
 * annotated test class and stops it after the last test. Constructors, {@code @BeforeAll},
 * {@code @BeforeEach} and test methods then receive it as parameters:
 *
 * <pre>{@code
 * @KintoServer(config = "paginate_by = 2")
 * class ListingTest {
 *     private final TestServer server;
 *     private final String alice;                      // alice's user id, basicauth:...
 *
 *     ListingTest(TestServer server, @User("alice") String alice) { ... }
 *
 *     @BeforeAll
 *     static void bucket(@User("alice") Client alice) {
 *         alice.put("/v1/buckets/b1");
 *     }
 * }
 * }</pre>
 *
 * <p>The tests of a class share the server and its data: give each test its own objects.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KintoServerExtension.class)
public @interface KintoServer {

    /** Configuration lines (HOCON) added to the test server's, for example {@code "readonly = true"}. */
    String[] config() default {};
}
