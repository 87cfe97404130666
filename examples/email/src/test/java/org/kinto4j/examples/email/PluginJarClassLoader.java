package org.kinto4j.examples.email;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a plugin jar the way kinto4j does: a classloader of its own whose parent is the platform
 * classloader, with only {@code org.kinto4j.listener.*} and {@code org.slf4j.*} taken from the
 * host (here, the test's classpath).
 */
final class PluginJarClassLoader extends URLClassLoader {

    private static final String[] SHARED_PACKAGES = {"org.kinto4j.listener.", "org.slf4j."};

    private final ClassLoader host = PluginJarClassLoader.class.getClassLoader();

    private PluginJarClassLoader(URL jar) {
        super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    }

    /** The jar named by the system property {@code kinto4j.plugin.jar} (set by failsafe). */
    static PluginJarClassLoader forPackagedPlugin() throws MalformedURLException {
        String property = System.getProperty("kinto4j.plugin.jar");
        if (property == null) {
            throw new IllegalStateException("system property kinto4j.plugin.jar is not set: run this test with"
                    + " `mvn verify` (maven-failsafe-plugin), after the plugin jar was packaged");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run `mvn package` first");
        }
        return new PluginJarClassLoader(jar.toUri().toURL());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        for (String shared : SHARED_PACKAGES) {
            if (name.startsWith(shared)) {
                return host.loadClass(name);
            }
        }
        return super.loadClass(name, resolve);
    }
}
