package org.kinto4j.listener;

/**
 * The version of this listener API, so a server can tell which plugins it can run.
 *
 * <p>The API grows only by new types and new default methods, so a plugin built against an
 * older version keeps working on a newer server. A plugin built against a <em>newer</em>
 * version may call what the server lacks; the server therefore refuses, at start-up, a plugin
 * whose factory declares (with {@link BuiltAgainst}) a version newer than {@link #VERSION},
 * with a message naming both versions.
 *
 * <p>The same version is written into the jar's manifest as {@code Specification-Version}
 * (the project version is {@code Implementation-Version}).
 */
public final class ListenerApi {

    /**
     * This API's version, {@code MAJOR.MINOR}: the minor number grows with each addition.
     * A compile-time constant: {@code @BuiltAgainst(ListenerApi.VERSION)} copies the value into
     * the plugin's own class file when the plugin is compiled.
     *
     * <p>History: {@code 1.0} the first API (plugins that declare nothing are treated as built
     * against it); {@code 1.1} adds {@link ResourceEvent#impacted()}, {@link Impacted},
     * {@link BuiltAgainst} and this class.
     */
    public static final String VERSION = "1.1";

    /** The version assumed for a plugin whose factory carries no {@link BuiltAgainst}. */
    public static final String UNDECLARED_VERSION = "1.0";

    private ListenerApi() {
    }
}
