package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code create-user} (transcript 01) through the Main entry point, on H2 and PostgreSQL. */
class CreateUserCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path conf(String content) throws IOException {
        Path f = dir.resolve("create-user-" + System.nanoTime() + ".conf");
        Files.writeString(f, content);
        return f;
    }

    private static final String PLUGIN = "includes = [accounts]\naccount_bcrypt_cost = 4\n"
            + "account_write_principals = [\"account:admin\"]\n";

    @Test
    void createsAnAccountTheServerThenAcceptsOnH2() throws IOException {
        String storage = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"\n";
        Path conf = conf(PLUGIN + storage);
        Outcome created = run("create-user", "--config", conf.toString(), "--username", "admin", "--password", "s3cret-admin");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("Creating user 'admin'" + System.lineSeparator());
        assertThat(created.out() + created.err()).doesNotContain("s3cret-admin");
        assertThat(run("create-user", "--config=" + conf, "--username=admin", "--password=s3cret-2").status())
                .as("running it again sets a new password").isZero();

        try (TestServer server = TestServer.startIn(dir, PLUGIN, Map.of())) {
            TestServer.Response admin = server.get("/v1/accounts/admin", "admin:s3cret-2");
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.json().path("permissions").path("write").get(0).asText()).isEqualTo("account:admin");
            assertThat(admin.text()).doesNotContain("password");
            assertThat(server.get("/v1/", "admin:s3cret-admin").status()).as("old password").isEqualTo(401);
            assertThat(server.get("/v1/", "admin:s3cret-2").json().path("user").path("id").asText()).isEqualTo("account:admin");
        }
    }

    @Test
    void createsAnAccountOnPostgresql() throws IOException {
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String storage = "storage.url = \"" + pg.url() + "\"\n";
            Outcome created = run("create-user", "--config", conf(PLUGIN + storage).toString(),
                    "--username", "admin", "--password", "s3cret-admin");
            assertThat(created.status()).as(created.err()).isZero();
            try (TestServer server = TestServer.start(PLUGIN + storage)) {
                assertThat(server.get("/v1/", "admin:s3cret-admin").json().path("user").path("id").asText())
                        .isEqualTo("account:admin");
            }
        }
    }

    @Test
    void refusalsHaveKintosExitStatuses() throws IOException {
        String storage = "storage.url = \"jdbc:h2:file:" + dir.resolve("db2").toAbsolutePath() + "/kinto4j\"\n";
        Outcome noPlugin = run("create-user", "--config", conf(storage).toString(), "--username", "a", "--password", "p");
        assertThat(noPlugin.status()).isEqualTo(52);
        assertThat(noPlugin.err()).contains("includes = [accounts]");
        assertThat(run("create-user", "--config", conf(PLUGIN + storage + "readonly = true\n").toString(),
                "--username", "a", "--password", "p").status()).isEqualTo(51);
        Outcome badName = run("create-user", "--config", conf(PLUGIN + storage).toString(), "--username", "_a",
                "--password", "p");
        assertThat(badName.status()).isEqualTo(2);
        assertThat(badName.err()).contains("not a valid username");
        Outcome noPassword = new Outcome(new CreateUserCommand(System.out, System.err, null)
                .run(conf(PLUGIN + storage), Map.of(), "a", null), "", "");
        assertThat(noPassword.status()).as("no terminal to ask on").isEqualTo(53);
        assertThat(run("start", "--username", "a").status()).as("--username belongs to create-user").isEqualTo(2);
    }
}
