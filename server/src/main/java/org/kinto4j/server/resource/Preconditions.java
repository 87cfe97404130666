package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import org.kinto4j.server.errors.ServiceError;

/**
 * A write's or read's conditions on the version it expects ({@code If-Match} / {@code If-None-Match}):
 * {@code *} or an integer in double quotes; anything else is invalid (as upstream Kinto).
 *
 * @param ifMatch {@code null} absent, {@link #ANY} for {@code *}
 * @param ifNoneMatch likewise
 */
public record Preconditions(Long ifMatch, Long ifNoneMatch) {

    public static final long ANY = Long.MIN_VALUE;

    /** From the raw {@code If-Match} and {@code If-None-Match} values (null when absent). */
    public static Preconditions of(String ifMatch, String ifNoneMatch) {
        return new Preconditions(parse(ifMatch, "If-Match"), parse(ifNoneMatch, "If-None-Match"));
    }

    private static Long parse(String value, String name) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.equals("*")) {
            return ANY;
        }
        if (v.length() >= 3 && v.startsWith("\"") && v.endsWith("\"")) {
            String digits = v.substring(1, v.length() - 1);
            if (digits.matches("[0-9]{1,18}")) {
                return Long.parseLong(digits);
            }
        }
        throw ServiceError.invalid("header", name, "The value should be integer between double quotes.");
    }

    public boolean none() {
        return ifMatch == null && ifNoneMatch == null;
    }

    /** Checks against a read target; returns true for 304 Not Modified. */
    public boolean checkRead(long current, JsonNode existing) {
        if (ifNoneMatch != null && ifNoneMatch != ANY && ifNoneMatch == current) {
            return true;
        }
        if (ifNoneMatch != null && ifNoneMatch == ANY) {
            throw failed(existing, current);
        }
        if (ifMatch != null && ifMatch != ANY && ifMatch != current) {
            throw failed(existing, current);
        }
        return false;
    }

    private static ServiceError failed(JsonNode existing, long current) {
        return ServiceError.modifiedMeanwhile(existing).atVersion(current);
    }

    /**
     * Checks a write against the target's current state ({@code existing} null when the object
     * does not exist).
     */
    public void checkWrite(JsonNode existing) {
        checkWrite(existing, null);
    }

    /**
     * Like {@link #checkWrite(JsonNode)}; when the object does not exist, the 412 carries the
     * plural endpoint's timestamp as ETag and Last-Modified, as Kinto's does.
     */
    public void checkWrite(JsonNode existing, java.util.function.LongSupplier pluralTimestamp) {
        if (existing == null) {
            if (ifMatch != null) {
                if (pluralTimestamp == null) {
                    throw ServiceError.modifiedMeanwhile(null);
                }
                long current = pluralTimestamp.getAsLong();
                throw ServiceError.modifiedMeanwhile(null).atVersion(current);
            }
            return;
        }
        long current = existing.path("last_modified").asLong();
        if (ifNoneMatch != null && ifNoneMatch == ANY) {
            throw failed(existing, current);
        }
        if (ifMatch != null && ifMatch != ANY && ifMatch != current) {
            throw failed(existing, current);
        }
    }
}
