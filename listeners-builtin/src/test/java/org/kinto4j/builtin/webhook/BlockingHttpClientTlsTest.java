package org.kinto4j.builtin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's client over TLS, against a real TLS server whose certificate (made by the JDK's
 * keytool, for {@code localhost} and 127.0.0.1) the client is told to trust.
 */
class BlockingHttpClientTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private final InetAddress[] loopback = {InetAddress.getLoopbackAddress()};

    @TempDir
    Path dir;
    private ScriptedHttpServer server;
    private SSLContext trusting;

    @BeforeEach
    void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        server = new ScriptedHttpServer(serverContext.getServerSocketFactory().createServerSocket(0, 50, loopback[0]));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void postsOverTlsToAHostItsCertificateNames() throws IOException {
        try (BlockingHttpClient client = client("localhost")) {
            assertThat(post(client).status()).isEqualTo(204);
            assertThat(post(client).status()).isEqualTo(204);
        }
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0)).contains("Host: localhost:" + server.port()).endsWith("{\"a\":1}");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        try (BlockingHttpClient client = client("receiver.example")) {
            assertThatThrownBy(() -> post(client)).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    private BlockingHttpClient client(String host) {
        return new BlockingHttpClient(URI.create("https://" + host + ":" + server.port() + "/hook"), Duration.ofSeconds(5),
                trusting.getSocketFactory(), System::nanoTime);
    }

    private BlockingHttpClient.Response post(BlockingHttpClient client) throws IOException {
        return client.post(loopback, Map.of("webhook-id", "msg_1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
    }
}
