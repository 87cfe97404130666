package org.kinto4j.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.kinto4j.server.storage.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start when the data set was written under another {@code userid_hmac_secret}: the
 * basicauth user ids derive from it, so with another secret every user loses access to their own
 * objects (403). The database keeps a fingerprint of the secret (a hash, never the secret).
 */
final class UseridSecretCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UseridSecretCheck.class);
    private static final String KEY = "userid_hmac_secret_fingerprint";

    private final ServerInfo info;

    UseridSecretCheck(ServerInfo info) {
        this.info = info;
    }

    /** Compares the secret's fingerprint with the recorded one; records the current one. Returns whether they differed. */
    boolean check(String secret) {
        String current = fingerprint(secret);
        Optional<String> recorded = info.get(KEY);
        if (recorded.isPresent() && recorded.get().equals(current)) {
            return false;
        }
        if (recorded.isPresent()) {
            LOG.warn("userid_hmac_secret is not the one this data was written with (fingerprint {} now, {} before): "
                    + "every basicauth user id changes, so users get 403 on their own buckets. Start with the previous "
                    + "secret (a --config file can `include \"server.conf\"` to keep conf/server.conf's), or keep the new "
                    + "one on purpose: its fingerprint is now recorded and this warning is not repeated.",
                    current, recorded.get());
        }
        info.put(KEY, current);
        return recorded.isPresent();
    }

    static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("kinto4j userid_hmac_secret fingerprint\n" + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
