package org.kinto4j.server.listeners;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.kinto4j.server.TempDirectories;

/**
 * Builds a real plugin jar at test time: compiles Java sources against the listener API (and
 * optional extra jars), writes META-INF/services, so tests go through the real plugin loader.
 */
public final class PluginJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> factories = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private final List<Path> ahead = new ArrayList<>();

    public static PluginJar create() {
        return new PluginJar();
    }

    /** Adds a class: {@code name} is the fully qualified class name. */
    public PluginJar source(String name, String code) {
        sources.put(name, code);
        return this;
    }

    /** Declares a factory in META-INF/services. */
    public PluginJar factory(String className) {
        factories.add(className);
        return this;
    }

    /**
     * Compiles against this jar ahead of the test's classpath, so its classes win (another
     * version of the listener API, say); it is not put in the plugin jar.
     */
    public PluginJar compileAgainstFirst(Path jar) {
        ahead.add(jar);
        return this;
    }

    /** Compiles against these jars too (they are not put in the plugin jar). */
    public PluginJar compileAgainst(Path jar) {
        classpath.add(jar);
        return this;
    }

    public Path writeTo(Path jar) {
        Path work = null;
        try {
            work = Files.createTempDirectory("plugin-src");
            Path src = work.resolve("src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            StringBuilder cp = new StringBuilder();
            for (Path p : ahead) {
                cp.append(p).append(java.io.File.pathSeparator);
            }
            cp.append(System.getProperty("java.class.path"));
            for (Path p : classpath) {
                cp.append(java.io.File.pathSeparator).append(p);
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-cp", cp.toString(),
                    "-d", classes.toString()));
            args.addAll(files);
            int status = compiler.run(null, null, null, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("plugin sources did not compile");
            }
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                try (Stream<Path> walk = Files.walk(classes)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                        Files.copy(p, out);
                        out.closeEntry();
                    }
                }
                if (!factories.isEmpty()) {
                    out.putNextEntry(new JarEntry("META-INF/services/org.kinto4j.listener.ListenerFactory"));
                    write(out, String.join("\n", factories) + "\n");
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirectories.delete(work);
        }
    }

    /** The events a recorder wrote to its file, in order (empty when the file does not exist yet). */
    public static java.util.List<com.fasterxml.jackson.databind.JsonNode> recorded(Path file) {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    out.add(org.kinto4j.server.json.Json.parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A listener that appends one JSON line per event to the file in its {@code file} setting:
     * {@code {"id", "action", "resource", "payload", "impacted", "storage": bool}}; with
     * {@code fail = true} it throws after recording, with {@code fail_times = N} it throws on its
     * first N calls (writing the event id to FILE.failed instead of recording), with {@code wait_for = PATH} it blocks until that file
     * exists (writing the event id to PATH.waiting first).
     */
    public static PluginJar recorder(String factoryName) {
        String pkg = "rec" + Math.abs(factoryName.hashCode());
        String cls = pkg + ".RecorderFactory";
        return create().factory(cls).source(cls, """
                package %s;

                import java.nio.charset.StandardCharsets;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import org.kinto4j.listener.*;

                public class RecorderFactory implements ListenerFactory {
                    @Override public String name() { return "%s"; }
                    @Override public Listener create(ListenerContext context) {
                        Path file = Path.of(context.settings().string("file"));
                        boolean fail = context.settings().bool("fail", false);
                        String write = context.settings().string("write", "");
                        int failTimes = context.settings().integer("fail_times", 0);
                        String waitFor = context.settings().string("wait_for", "");
                        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
                        return event -> {
                            if (!waitFor.isEmpty()) {
                                Files.writeString(Path.of(waitFor + ".waiting"), event.id() + "\\n", StandardCharsets.UTF_8,
                                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                                long deadline = System.currentTimeMillis() + 120_000;
                                while (!Files.exists(Path.of(waitFor)) && System.currentTimeMillis() < deadline) {
                                    // a slow external system: poll for the release file every 10 ms
                                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                                }
                            }
                            if (calls.incrementAndGet() <= failTimes) {
                                Files.writeString(Path.of(file + ".failed"), event.id() + "\\n", StandardCharsets.UTF_8,
                                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                                throw new IllegalStateException("recorder failing call " + calls.get() + " of " + failTimes);
                            }
                            boolean storage;
                            try { event.storage(); storage = true; } catch (IllegalStateException e) { storage = false; }
                            if (!write.isEmpty()) {
                                event.storage().create(write, "", java.util.Map.of("seen", event.action().value()));
                            }
                            String line = "{\\"id\\":\\"" + event.id() + "\\",\\"action\\":\\"" + event.action().value()
                                + "\\",\\"resource\\":\\"" + event.resourceName() + "\\",\\"payload\\":" + event.json()
                                + ",\\"impacted\\":" + event.impactedObjects().size()
                                + ",\\"storage\\":" + storage
                                + ",\\"loader\\":\\"" + Thread.currentThread().getContextClassLoader().getName() + "\\"}\\n";
                            Files.writeString(file, line, StandardCharsets.UTF_8,
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            if (fail) {
                                throw new IllegalStateException("recorder told to fail");
                            }
                        };
                    }
                }
                """.formatted(pkg, factoryName));
    }
}
