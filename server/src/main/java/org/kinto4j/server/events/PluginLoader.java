package org.kinto4j.server.events;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.server.config.ConfigError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds listener factories: the built-in ones on the server's classpath, and those of every
 * {@code *.jar} and every sub-folder of jars in the plugins folder, each in its own classloader
 * whose parent is the platform classloader; only the {@link #SHARED_PACKAGES} come from the
 * server. A plugin built against a newer listener API than the server's is refused
 * ({@link PluginApiVersion}).
 */
public final class PluginLoader {

    /**
     * The packages a plugin gets from the server rather than from its own jars: the listener API
     * (so plugin and server agree on its types) and the SLF4J API (so plugin log lines go to the
     * server's log). Plugin authors declare both with {@code provided} scope and bundle neither.
     * Everything else a plugin needs it bundles, in any version.
     */
    public static final List<String> SHARED_PACKAGES = List.of("org.kinto4j.listener.", "org.slf4j.");

    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    /** A factory and where it came from. */
    public record FoundFactory(ListenerFactory factory, String origin, ClassLoader classLoader) {
    }

    private final ClassLoader serverLoader;

    public PluginLoader(ClassLoader serverLoader) {
        this.serverLoader = serverLoader;
    }

    public List<FoundFactory> discover(Path pluginsDir) {
        List<FoundFactory> found = new ArrayList<>();
        load(serverLoader, "built-in", found);
        if (!Files.isDirectory(pluginsDir)) {
            LOG.info("Plugins folder {} does not exist: only built-in listeners are available", pluginsDir.toAbsolutePath());
            return found;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(pluginsDir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new ConfigError("Cannot list the plugins folder " + pluginsDir.toAbsolutePath() + ": " + e.getMessage()
                    + ". Check plugins_dir and the folder's permissions.", e);
        }
        for (Path entry : entries) {
            List<Path> jars;
            if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                jars = List.of(entry);
            } else if (Files.isDirectory(entry)) {
                try (Stream<Path> s = Files.list(entry)) {
                    jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
                } catch (IOException e) {
                    throw new ConfigError("Cannot list plugin folder " + entry + ": " + e.getMessage(), e);
                }
                if (jars.isEmpty()) {
                    continue;
                }
            } else {
                continue;
            }
            jars.forEach(PluginLoader::requireValidJar);
            ClassLoader loader = new URLClassLoader("plugin:" + entry.getFileName(), urls(jars),
                    new SharedApiClassLoader(serverLoader));
            int before = found.size();
            load(loader, entry.toString(), found);
            if (found.size() == before) {
                LOG.warn("Plugin {} declares no listener factory (META-INF/services/{} is missing or empty)",
                        entry, ListenerFactory.class.getName());
            }
        }
        return found;
    }

    /** A truncated or corrupt file named *.jar is reported as such, not as a jar without factories. */
    private static void requireValidJar(Path jar) {
        try (java.util.jar.JarFile ignored = new java.util.jar.JarFile(jar.toFile())) {
            // opening reads the zip's central directory: enough to tell a jar from a broken file
        } catch (IOException e) {
            throw new ConfigError("Plugin " + jar.toAbsolutePath() + " is not a valid jar (" + e.getMessage()
                    + "): rebuild it, or remove it from the plugins folder.", e);
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new ConfigError("Bad plugin path " + jars.get(i) + ": " + e.getMessage(), e);
            }
        }
        return urls;
    }

    private static void load(ClassLoader loader, String origin, List<FoundFactory> out) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Iterator<ListenerFactory> it = ServiceLoader.load(ListenerFactory.class, loader).iterator();
            while (true) {
                ListenerFactory factory;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    factory = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    throw new ConfigError("Plugin " + origin + " failed to load: " + e.getMessage()
                            + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : "")
                            + ". The jar must contain the class named in META-INF/services/"
                            + ListenerFactory.class.getName() + ", with a public no-argument constructor, compiled for Java 17"
                            + " against the kinto4j listener API. Fix or remove the plugin." + PluginError.hint(e), e);
                }
                if (factory.getClass().getClassLoader() != loader && !"built-in".equals(origin)) {
                    continue;
                }
                PluginApiVersion.requireSupported(factory.getClass(), origin);
                out.add(new FoundFactory(factory, origin, loader));
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Parent of plugin classloaders: the platform classloader, except for the
     * {@link #SHARED_PACKAGES}, which come from the server so plugin and server agree on those types.
     */
    static final class SharedApiClassLoader extends ClassLoader {

        private final ClassLoader server;

        SharedApiClassLoader(ClassLoader server) {
            super("kinto4j-shared-api", ClassLoader.getPlatformClassLoader());
            this.server = server;
        }

        private static boolean shared(String name) {
            return SHARED_PACKAGES.stream().anyMatch(name::startsWith);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (shared(name)) {
                return server.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
