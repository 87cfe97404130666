package org.kinto4j.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Kinto's basicauth user ids and personal bucket ids, bit for bit (upstream kinto/core/authentication.py, kinto/plugins/default_bucket). */
class BasicAuthTest {

    private static String header(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aliceWithSomeSecretHasKintosUserId() {
        assertThat(new BasicAuth("some-secret").userId(header("alice:s3cr3t")))
                .contains("basicauth:419510af712288ddb339ec4dd9e526c79badd7c9506dae065f7027d3a066b8a0");
    }

    @Test
    void emptySecretBehavesLikeKinto() {
        BasicAuth auth = new BasicAuth("");
        assertThat(auth.userId(header("mat:secret")))
                .contains("basicauth:8a931a10fc88ab2f6d1cc02a07d3a81b5d4768f6f13e85c5d8d4180419acb1b4");
        assertThat(auth.userId(header("alice:secret")))
                .contains("basicauth:d5b0026601f1b251974e09548d44155e16812e3c64ff7ae053fe3542e2ca1570");
    }

    @Test
    void defaultBucketIdsMatchKinto() {
        String alice = "basicauth:419510af712288ddb339ec4dd9e526c79badd7c9506dae065f7027d3a066b8a0";
        assertThat(new DefaultBucketIds("").bucketId(alice)).isEqualTo("c945be5a-1dba-4d28-069d-1910e3edc741");
        assertThat(new DefaultBucketIds("some-secret").bucketId(alice)).isEqualTo("468854fe-6dcd-7ade-c226-2fc8a91a04a4");
        assertThat(new DefaultBucketIds("")
                .bucketId("basicauth:8a931a10fc88ab2f6d1cc02a07d3a81b5d4768f6f13e85c5d8d4180419acb1b4"))
                .isEqualTo("ddaf8694-fa9e-2949-ed0e-77198a7907fb");
    }

    @Test
    void malformedOrEmptyUserHeadersAreAnonymous() {
        BasicAuth auth = new BasicAuth("x");
        assertThat(auth.userId(null)).isEmpty();
        assertThat(auth.userId("Bearer abc")).isEmpty();
        assertThat(auth.userId("Basic !!!notbase64")).isEmpty();
        assertThat(auth.userId(header(":secret"))).isEmpty();
        assertThat(auth.userId(header("nocolon"))).isEmpty();
        assertThat(auth.userId(header("bob:"))).isPresent();
        assertThat(auth.userId("basic " + Base64.getEncoder().encodeToString("bob:x".getBytes(StandardCharsets.UTF_8))))
                .isPresent();
    }
}
