package org.kinto4j.examples.worker;

import io.lettuce.core.RedisURI;

/**
 * The worker's command line: {@code [--url URL] [--list NAME] [--help]}.
 *
 * @param redisUri the Redis server and database to read from
 * @param listName the Redis list the server's {@code redis} listener pushes events onto
 * @param help     whether {@code --help} was given
 */
record WorkerOptions(RedisURI redisUri, String listName, boolean help) {

    static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";
    /** Kinto's default {@code listname}. */
    static final String DEFAULT_LIST = "kinto.core.events";

    static final String USAGE = """
            Usage: java -jar worker.jar [--url URL] [--list NAME]

            Waits for kinto4j events on a Redis list (BLPOP, oldest first) and prints each one,
            the event's JSON, on its own line on standard output. Ctrl-C stops it.

            Options:
              --url URL     the Redis server and database (default: %s)
              --list NAME   the list the server's redis listener pushes to, its listname setting
                            (default: %s)
              -h, --help    print this help and exit
            """.formatted(DEFAULT_URL, DEFAULT_LIST);

    /**
     * Parses the arguments; {@code --url=URL} and {@code --list=NAME} are accepted too.
     *
     * @throws UsageException naming the offending argument and what is valid
     */
    static WorkerOptions parse(String... args) throws UsageException {
        String url = DEFAULT_URL;
        String list = DEFAULT_LIST;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "-h", "--help" -> {
                    return new WorkerOptions(redisUri(DEFAULT_URL), DEFAULT_LIST, true);
                }
                case "--url", "--list" -> {
                    String value;
                    if (arg.contains("=")) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException("option " + name + " needs a value, for example "
                                + name + " " + (name.equals("--url") ? DEFAULT_URL : DEFAULT_LIST));
                    }
                    if (value.isBlank()) {
                        throw new UsageException("option " + name + " needs a non-empty value");
                    }
                    if (name.equals("--url")) {
                        url = value;
                    } else {
                        list = value;
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'; valid options are --url, --list and --help"
                        : "unexpected argument '" + arg + "'; the worker takes only --url and --list");
            }
        }
        return new WorkerOptions(redisUri(url), list, false);
    }

    private static RedisURI redisUri(String url) throws UsageException {
        try {
            return RedisURI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url '" + url + "' is not a Redis URL (" + e.getMessage()
                    + "); expected redis://HOST:PORT/DB, for example " + DEFAULT_URL);
        }
    }

    /** A bad command line; the message says what was wrong and what is valid. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
