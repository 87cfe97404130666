package org.kinto4j.server;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.logging.SecretMasking;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;

/**
 * Command line: {@code start [--config FILE]}, {@code migrate [--config FILE]},
 * {@code create-user --username U --password P [--config FILE]}, {@code version}.
 * Exit status 2 for bad usage or bad configuration, 1 for other start failures.
 */
public final class Main {

    private static final String USAGE = """
            Usage: java -jar kinto4j.jar <command> [--config FILE]

            Commands:
              start     serve the Kinto API (reads conf/server.conf when --config is not given)
              migrate   create or upgrade the database schema, then exit
            create-user --username U [--password P]
                      create or update an account (includes = [accounts]); asks for the
                      password on the terminal when --password is not given
              version   print the version and exit

            Every setting can also come from the environment: KINTO_<KEY> (http.port -> KINTO_HTTP_PORT).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Path config = null;
        Map<String, String> userOptions = new java.util.HashMap<>();
        boolean createUser = command.equals("create-user");
        for (int i = 1; i < args.length; i++) {
            String option = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
            boolean inline = args[i].contains("=") && args[i].startsWith("--");
            boolean known = option.equals("--config") || (createUser && CreateUserCommand.OPTIONS.contains(option));
            if (known && (inline || i + 1 < args.length)) {
                String value = inline ? args[i].substring(option.length() + 1) : args[++i];
                if (option.equals("--config")) {
                    config = Path.of(value);
                } else {
                    userOptions.put(option, value);
                }
            } else {
                err.println("Unknown option '" + args[i] + "'. Valid options: --config FILE"
                        + (createUser ? ", --username NAME, --password PASSWORD." : "."));
                err.print(USAGE);
                return 2;
            }
        }
        if (config == null && Files.isRegularFile(Path.of("conf/server.conf"))) {
            config = Path.of("conf/server.conf");
        }
        configureLogging();
        switch (command) {
            case "version":
                out.println("kinto4j " + Server.version());
                return 0;
            case "migrate":
                return migrate(config, env, err);
            case "start":
                return start(config, env, err);
            case "create-user":
                return new CreateUserCommand(out, err, System.console()).run(config, env,
                        userOptions.get("--username"), userOptions.get("--password"));
            default:
                err.println("Unknown command '" + command + "'. Valid commands: start, migrate, create-user, version.");
                err.print(USAGE);
                return 2;
        }
    }

    /** Uses conf/logback.xml when present (and no logback.configurationFile was given). */
    private static void configureLogging() {
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(Path.of("conf/logback.xml"))) {
            System.setProperty("logback.configurationFile", Path.of("conf/logback.xml").toAbsolutePath().toString());
        }
    }

    /** Stops logback so its asynchronous appender writes the last lines before the JVM exits. */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    private static int migrate(Path config, Map<String, String> env, PrintStream err) {
        try {
            ServerSettings settings = new ConfigLoader(env).load(config);
            try (Database db = new Database(settings.storage())) {
                int applied = new Migrations(db.jdbi(), db.dialect()).migrate();
                err.println("Schema up to date (" + applied + " migration(s) applied).");
            }
            return 0;
        } catch (ConfigError e) {
            err.println("Configuration error: " + SecretMasking.mask(e.getMessage()));
            return 2;
        } catch (RuntimeException e) {
            err.println("Migration failed: " + SecretMasking.mask(e.toString()));
            return 1;
        }
    }

    private static int start(Path config, Map<String, String> env, PrintStream err) {
        Server server;
        ServerSettings settings = null;
        StartupWarmup warmup = StartupWarmup.inBackground();
        org.slf4j.LoggerFactory.getILoggerFactory();
        warmup.loggingConfigured();
        try {
            ConfigLoader loader = new ConfigLoader(env);
            com.typesafe.config.Config merged = loader.mergedConfig(config);
            settings = loader.settings(merged, config);
            server = Server.start(settings, env);
            org.slf4j.LoggerFactory.getLogger(Main.class).info("Effective configuration: {}",
                    ConfigLoader.renderMasked(merged, server.secretKeys()));
        } catch (ConfigError e) {
            err.println("Configuration error: " + SecretMasking.mask(e.getMessage()));
            return 2;
        } catch (RuntimeException e) {
            String explained = StartupFailures.explain(e, settings);
            if (explained != null) {
                err.println("Configuration error: " + SecretMasking.mask(explained));
                return 2;
            }
            err.println("kinto4j failed to start: " + SecretMasking.mask(e.toString()));
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            err.print(SecretMasking.mask(trace.toString()));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            flushLogs();
            stopped.countDown();
        }, "kinto4j-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
