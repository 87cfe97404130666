package org.kinto4j.listener;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A list of a listener's own objects served under each bucket, declared with
 * {@link ListenerContext#exposeUnderBuckets}: {@code GET /v1/buckets/{bid}/{name}}. Kinto's
 * history plugin is the model ({@code name = "history"}, capability {@code history}).
 *
 * @param name the URL segment and the resource name the objects are stored under; lower-case
 *     letters, digits, {@code _} and {@code -}, not {@code collections} or {@code groups}
 * @param capability the key announced in {@code GET /v1/} under {@code capabilities}
 * @param capabilityInfo the capability's object ({@code description}, {@code url}, ...);
 *     JSON-compatible JDK values
 */
public record ExposedResource(String name, String capability, Map<String, Object> capabilityInfo) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    public ExposedResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capability, "capability");
        if (!NAME.matcher(name).matches() || name.equals("collections") || name.equals("groups")) {
            throw new IllegalArgumentException("'" + name + "' cannot be exposed under buckets: use lower-case "
                    + "letters, digits, '_' and '-', and not 'collections' or 'groups'");
        }
        capabilityInfo = Collections.unmodifiableMap(new LinkedHashMap<>(
                capabilityInfo == null ? Map.of() : capabilityInfo));
    }
}
