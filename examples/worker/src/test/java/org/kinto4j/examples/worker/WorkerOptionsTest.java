package org.kinto4j.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void defaultsAreLocalRedisDatabaseZeroAndKintosListName() throws Exception {
        WorkerOptions options = WorkerOptions.parse();

        assertThat(WorkerMain.describe(options.redisUri())).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(options.listName()).isEqualTo("kinto.core.events");
        assertThat(options.help()).isFalse();
    }

    @Test
    void urlAndListAreTakenFromTheirOptions() throws Exception {
        WorkerOptions options = WorkerOptions.parse("--url", "redis://redis.example.com:6390/3", "--list", "eventqueue");

        assertThat(WorkerMain.describe(options.redisUri())).isEqualTo("redis://redis.example.com:6390/3");
        assertThat(options.listName()).isEqualTo("eventqueue");
    }

    @Test
    void equalsFormIsAccepted() throws Exception {
        WorkerOptions options = WorkerOptions.parse("--list=eventqueue", "--url=redis://127.0.0.1:6390/1");

        assertThat(options.listName()).isEqualTo("eventqueue");
        assertThat(options.redisUri().getPort()).isEqualTo(6390);
    }

    @Test
    void helpIsRecognisedInBothSpellings() throws Exception {
        assertThat(WorkerOptions.parse("--help").help()).isTrue();
        assertThat(WorkerOptions.parse("-h").help()).isTrue();
    }

    @Test
    void usageNamesTheOptionsAndTheirDefaults() {
        assertThat(WorkerOptions.USAGE)
                .contains("--url URL", "--list NAME", "--help", "redis://127.0.0.1:6379/0", "kinto.core.events");
    }

    @Test
    void unknownOptionIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> WorkerOptions.parse("--lsit", "x"))
                .isInstanceOf(WorkerOptions.UsageException.class)
                .hasMessage("unknown option '--lsit'; valid options are --url, --list and --help");
    }

    @Test
    void positionalArgumentIsRejected() {
        assertThatThrownBy(() -> WorkerOptions.parse("eventqueue"))
                .isInstanceOf(WorkerOptions.UsageException.class)
                .hasMessageContaining("unexpected argument 'eventqueue'");
    }

    @Test
    void optionWithoutValueSaysWhatItNeeds() {
        assertThatThrownBy(() -> WorkerOptions.parse("--url"))
                .isInstanceOf(WorkerOptions.UsageException.class)
                .hasMessage("option --url needs a value, for example --url redis://127.0.0.1:6379/0");
    }

    @Test
    void urlThatIsNotARedisUrlIsRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> WorkerOptions.parse("--url", "http://127.0.0.1:6379"))
                .isInstanceOf(WorkerOptions.UsageException.class)
                .hasMessageContaining("--url 'http://127.0.0.1:6379' is not a Redis URL")
                .hasMessageContaining("redis://HOST:PORT/DB");
    }

    @Test
    void describeLeavesThePasswordOut() throws Exception {
        WorkerOptions options = WorkerOptions.parse("--url", "redis://:hunter2@127.0.0.1:6379/0");

        assertThat(WorkerMain.describe(options.redisUri())).isEqualTo("redis://127.0.0.1:6379/0");
    }
}
