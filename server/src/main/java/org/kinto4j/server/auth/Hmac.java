package org.kinto4j.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 as Kinto computes user ids and default bucket ids. Thread-safe. */
public final class Hmac {

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Hmac(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            // HMAC pads keys with zeros to the block size: an empty key equals one zero byte,
            // and SecretKeySpec refuses empty keys.
            bytes = new byte[] {0};
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Lower-case hex digest of the UTF-8 message. */
    public String hex(String message) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
