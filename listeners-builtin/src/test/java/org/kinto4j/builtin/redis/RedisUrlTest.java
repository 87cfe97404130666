package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUrlTest {

    @Test
    void emptyStringMeansLocalhostPort6379Database0AsInKinto() {
        RedisUrl url = RedisUrl.parse("");

        assertThat(url.masked()).isEqualTo("redis://localhost:6379/0");
    }

    @Test
    void hostAloneGetsKintosDefaultPortAndDatabase() {
        assertThat(RedisUrl.parse("redis://redis.internal").masked())
                .isEqualTo("redis://redis.internal:6379/0");
    }

    @Test
    void passwordPortAndDatabaseComeFromTheUrl() {
        RedisUrl url = RedisUrl.parse("redis://:s3cret@cache:6380/2");

        RedisURI lettuce = url.toRedisUri(Duration.ofSeconds(1));
        assertThat(lettuce.getHost()).isEqualTo("cache");
        assertThat(lettuce.getPort()).isEqualTo(6380);
        assertThat(lettuce.getDatabase()).isEqualTo(2);
        RedisCredentials credentials = credentials(lettuce);
        assertThat(new String(credentials.getPassword())).isEqualTo("s3cret");
        assertThat(credentials.hasUsername()).isFalse();
    }

    @Test
    void aclUserAndPercentEncodedPasswordAreDecoded() {
        RedisURI lettuce = RedisUrl.parse("redis://kinto:p%40ss%2Fw%3Ard@cache/1").toRedisUri(Duration.ofSeconds(1));

        RedisCredentials credentials = credentials(lettuce);
        assertThat(credentials.getUsername()).isEqualTo("kinto");
        assertThat(new String(credentials.getPassword())).isEqualTo("p@ss/w:rd");
    }

    @Test
    void ipv6HostInBrackets() {
        RedisUrl url = RedisUrl.parse("redis://[::1]:6390/0");

        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.masked()).isEqualTo("redis://[::1]:6390/0");
    }

    @Test
    void redissMeansTls() {
        assertThat(RedisUrl.parse("rediss://cache:6380/0").toRedisUri(Duration.ofSeconds(1)).isSsl()).isTrue();
    }

    @Test
    void maskedFormAndToStringNeverShowThePassword() {
        RedisUrl url = RedisUrl.parse("redis://kinto:hunter2@cache:6379/0");

        assertThat(url.masked()).isEqualTo("redis://kinto:***@cache:6379/0");
        assertThat(url.toString()).doesNotContain("hunter2");
    }

    @Test
    void loneUserInfoIsMaskedSinceItMayBeAPasswordWithoutItsColon() {
        assertThat(RedisUrl.parse("redis://hunter2@cache").masked()).isEqualTo("redis://***@cache:6379/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://:hunter2@cache:port/0", "redis://:hunter2@@cache", "hunter2@cache", ":hunter2@cache:6379"})
    void maskingWorksOnMalformedValues(String value) {
        assertThat(RedisUrl.mask(value)).doesNotContain("hunter2").contains("***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:6379", "http://localhost:6379/0", "redis://cache:port/0",
        "redis://cache:6379/zero", "redis://cache:99999/0", "redis://cache/0?ssl=true", "redis://ca che/0"})
    void malformedUrlsAreRejectedWithTheReason(String value) {
        assertThatThrownBy(() -> RedisUrl.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void malformedPercentEscapeIsRejectedWithoutQuotingThePassword() {
        assertThatThrownBy(() -> RedisUrl.parse("redis://:hunter2%zz@cache"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("percent-escape")
                .hasMessageNotContaining("hunter2");
    }

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block(Duration.ofSeconds(1));
    }
}
