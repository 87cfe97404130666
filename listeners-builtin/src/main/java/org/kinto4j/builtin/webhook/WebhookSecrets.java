package org.kinto4j.builtin.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing keys of a webhook instance, Standard Webhooks' {@code v1} scheme: each secret is
 * {@code whsec_} followed by 24 to 64 random bytes in base64; the signature of a message is
 * {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), one per key,
 * space-separated, so receivers can rotate keys without downtime. Never prints a key.
 */
final class WebhookSecrets {

    static final String PREFIX = "whsec_";
    static final int MIN_BYTES = 24;
    static final int MAX_BYTES = 64;

    private final List<byte[]> keys;
    /** One initialised HMAC per key and thread: looking the algorithm up per signature cost more than signing. */
    private final ThreadLocal<List<Mac>> macs = ThreadLocal.withInitial(this::newMacs);

    private WebhookSecrets(List<byte[]> keys) {
        this.keys = keys;
    }

    /**
     * Parses the secrets.
     *
     * @throws IllegalArgumentException saying what is wrong with which one (by position, never
     *                                  by value)
     */
    static WebhookSecrets parse(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no secret is set");
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            String which = secrets.size() == 1 ? "the secret" : "secret #" + (i + 1);
            String s = secrets.get(i).strip();
            if (!s.startsWith(PREFIX)) {
                throw new IllegalArgumentException(which + " does not start with " + PREFIX);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(s.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(which + " is not base64 after " + PREFIX);
            }
            if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
                throw new IllegalArgumentException(which + " has " + key.length + " bytes; Standard Webhooks asks for "
                        + MIN_BYTES + " to " + MAX_BYTES + " random bytes");
            }
            keys.add(key);
        }
        return new WebhookSecrets(List.copyOf(keys));
    }

    int size() {
        return keys.size();
    }

    /** The {@code webhook-signature} header value. */
    String sign(String id, long timestamp, String body) {
        byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (Mac mac : macs.get()) {
            out.append(out.length() == 0 ? "" : " ").append("v1,")
                    .append(Base64.getEncoder().encodeToString(mac.doFinal(content))); // doFinal also resets it
        }
        return out.toString();
    }

    private List<Mac> newMacs() {
        List<Mac> list = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                list.add(mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return keys.size() + " secret(s), masked";
    }
}
