package org.kinto4j.server.auth;

/**
 * The personal bucket id of a user (upstream kinto/plugins/default_bucket): the first 128 bits of
 * HMAC-SHA256(default_bucket_hmac_secret, prefixed user id), printed 8-4-4-4-12, no UUID bits set.
 */
public final class DefaultBucketIds {

    private final Hmac hmac;

    public DefaultBucketIds(String defaultBucketHmacSecret) {
        this.hmac = new Hmac(defaultBucketHmacSecret);
    }

    public String bucketId(String prefixedUserId) {
        String h = hmac.hex(prefixedUserId).substring(0, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                + h.substring(16, 20) + "-" + h.substring(20, 32);
    }
}
