package org.kinto4j.server.storage;

/**
 * Kinto's flush: empties the storage (objects, tombstones, timestamps) and the permission
 * backend (ACLs, group memberships) in one transaction. The outbox is left alone: events of
 * changes committed before the flush are still delivered.
 */
public final class StorageFlush {

    private final PermissionStore permissions;

    public StorageFlush(PermissionStore permissions) {
        this.permissions = permissions;
    }

    public void flush(Tx tx) {
        tx.beginWrite();
        tx.handle().createUpdate("DELETE FROM objects").execute();
        tx.handle().createUpdate("DELETE FROM timestamps").execute();
        permissions.deleteAll(tx);
    }
}
