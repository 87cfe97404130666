package org.kinto4j.server.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * kinto4j's built-in logging, set up in code: INFO, one line per message on standard output
 * through an asynchronous appender, credentials masked in messages and stack traces, the chatty
 * libraries at WARN. Built in code rather than from an XML file because logback's XML
 * configurator loads and runs about 500 classes at every start (a fifth of the start-up time).
 *
 * <p>An operator's own file still wins: with {@code logback.configurationFile} set (the command
 * line sets it when {@code conf/logback.xml} exists; {@code conf/logback.example.xml} is this
 * configuration as a file to start from) or a {@code logback-test.xml} on the class path, this
 * configurator steps aside and logback reads that file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    /** The line format: date, level, logger's short name, masked message and stack trace. */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n%ex";

    private static final String[] QUIET_LIBRARIES = {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari",
        "io.lettuce", "io.netty"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || DefaultLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Adds the console appender and levels described above to {@code context}. */
    static void install(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put("msg", MaskingMessageConverter::new);
        layout.getInstanceConverterMap().put("ex", MaskingThrowableConverter::new);
        layout.setPattern(PATTERN);
        layout.setContext(context);
        layout.start();

        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setLayout(layout);
        encoder.setContext(context);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.setContext(context);
        console.start();

        // request threads hand lines to a queue; the command line stops the context at exit to flush it
        AsyncAppender async = new AsyncAppender();
        async.setName("ASYNC");
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setContext(context);
        async.addAppender(console);
        async.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        context.getLogger("io.lettuce.core.protocol.ConnectionWatchdog").setLevel(Level.ERROR);
    }
}
