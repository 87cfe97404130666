package org.kinto4j.server.resource;

import java.util.Set;

/** The four Kinto resources and what differs between them. */
public enum ResourceKind {
    BUCKET("bucket", "buckets", Set.of("read", "write", "collection:create", "group:create")),
    COLLECTION("collection", "collections", Set.of("read", "write", "record:create")),
    GROUP("group", "groups", Set.of("read", "write")),
    RECORD("record", "records", Set.of("read", "write"));

    private final String resourceName;
    private final String segment;
    private final Set<String> permissions;

    ResourceKind(String resourceName, String segment, Set<String> permissions) {
        this.resourceName = resourceName;
        this.segment = segment;
        this.permissions = permissions;
    }

    /** The name used in events, settings and permissions: {@code bucket}, {@code record}, ... */
    public String resourceName() {
        return resourceName;
    }

    /** The plural URL segment: {@code buckets}, {@code records}, ... */
    public String segment() {
        return segment;
    }

    /** Permission names an object of this kind may carry. */
    public Set<String> permissions() {
        return permissions;
    }

    /** Own-ACL permissions that let a caller see an object in a listing (the read row's own entries). */
    public Set<String> listingPermissions() {
        return switch (this) {
            case BUCKET -> Set.of("read", "write", "collection:create", "group:create");
            case COLLECTION -> Set.of("read", "write", "record:create");
            default -> Set.of("read", "write");
        };
    }

    /** Record ids are relaxed UUIDs generated as UUID4; the others get 8 random characters. */
    public boolean generatesUuid() {
        return this == RECORD;
    }
}
