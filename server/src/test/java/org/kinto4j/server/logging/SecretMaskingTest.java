package org.kinto4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void masksEveryKindOfUrlCredential() {
        assertThat(SecretMasking.mask("jdbc:postgresql://db:5432/kinto?user=u&password=p4ss&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/kinto?user=u&password=****&ssl=true");
        assertThat(SecretMasking.mask("jdbc:postgresql://u:p4ss@db/kinto")).isEqualTo("jdbc:postgresql://u:****@db/kinto");
        assertThat(SecretMasking.mask("jdbc:h2:file:./data/k;USER=sa;PASSWORD=p4ss;MODE=x"))
                .isEqualTo("jdbc:h2:file:./data/k;USER=sa;PASSWORD=****;MODE=x");
        assertThat(SecretMasking.mask("redis://:p4ss@127.0.0.1:6379/0")).isEqualTo("redis://:****@127.0.0.1:6379/0");
        assertThat(SecretMasking.mask("rediss://p4ss@h/0")).isEqualTo("rediss://****@h/0");
        assertThat(SecretMasking.mask("smtp://mailer:p4ss@mail:25")).isEqualTo("smtp://mailer:****@mail:25");
        assertThat(SecretMasking.mask("POST https://hooks.example/x?token=p4ss failed"))
                .isEqualTo("POST https://hooks.example/x?token=**** failed");
        assertThat(SecretMasking.mask("{url = \"https://a:p4ss@h/x?api_key=k3y\"}"))
                .isEqualTo("{url = \"https://a:****@h/x?api_key=****\"}");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String line = "PUT /v1/buckets/b?_since=10&_limit=5 201 3ms user=basicauth:abc";
        assertThat(SecretMasking.mask(line)).isEqualTo(line);
        assertThat(SecretMasking.mask("see https://kinto.readthedocs.io/ and mailto:a@b")).isEqualTo(
                "see https://kinto.readthedocs.io/ and mailto:a@b");
        assertThat(SecretMasking.mask(null)).isNull();
    }
}
