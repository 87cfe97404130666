package org.kinto4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The built-in logging set up in code: line format, levels, credentials masked in messages and stack traces. */
class DefaultLoggingTest {

    @Test
    void writesMaskedLinesAtInfoWithTheChattyLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // SLF4J's binding sets it on the real one
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DefaultLogging.install(context);
            Logger server = context.getLogger("org.kinto4j.server.Server");
            server.info("connecting to {}", "redis://:PWSECRET@cache:6379/0");
            server.debug("not at INFO");
            server.warn("delivery failed", new IllegalStateException("POST https://hooks.example/x?token=TOKSECRET refused"));
            context.getLogger("org.eclipse.jetty.server.Server").info("jetty chatter");
            context.getLogger("org.eclipse.jetty.server.Server").warn("jetty warning");
            context.stop(); // drains the asynchronous appender
        } finally {
            System.setOut(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  Server - connecting to "
                + "redis://:\\*\\*\\*\\*@cache:6379/0$");
        assertThat(log).contains("WARN  Server - delivery failed", "java.lang.IllegalStateException: POST "
                + "https://hooks.example/x?token=****", "jetty warning");
        assertThat(log).doesNotContain("PWSECRET", "TOKSECRET", "not at INFO", "jetty chatter");
    }

    @Test
    void isRegisteredWithLogbackAsAService() {
        // without it logback would fall back to its own default: a DEBUG root logger, 40x slower
        assertThat(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(DefaultLogging.class);
    }

    @Test
    void stepsAsideForAConfigurationFile() {
        // the test class path holds logback-test.xml: logback must read it, as it would conf/logback.xml
        assertThat(new DefaultLogging().configure(new LoggerContext()))
                .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
