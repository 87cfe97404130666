package org.kinto4j.server.storage;

/** One sort key of a list: a dotted field, ascending or descending. */
public record Sort(String field, boolean descending) {

    public static final Sort LAST_MODIFIED_DESC = new Sort("last_modified", true);
}
