package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;

/**
 * The packaged {@code target/email-plugin.jar}, loaded in an isolated classloader as the server
 * does, finds its factory and sends a mail with the Jakarta Mail bundled inside it: proof that
 * the shaded jar kept Jakarta Mail's provider files and service registrations.
 */
class EmailPluginJarIT {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void packagedPluginSendsMailWithItsBundledJakartaMailAsTheServerCallsIt() throws Exception {
        try (PluginJarClassLoader plugin = PluginJarClassLoader.forPackagedPlugin()) {
            sendOneMailThroughThePlugin(plugin, plugin);
        }
    }

    @Test
    void packagedPluginStillSendsMailWhenTheContextClassLoaderIsForeign() throws Exception {
        // The test's own classloader has another Jakarta Mail on it: the plugin must not pick it up.
        try (PluginJarClassLoader plugin = PluginJarClassLoader.forPackagedPlugin()) {
            sendOneMailThroughThePlugin(plugin, EmailPluginJarIT.class.getClassLoader());
        }
    }

    private static void sendOneMailThroughThePlugin(ClassLoader plugin, ClassLoader contextLoader) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(contextLoader);
        try {
            ListenerFactory factory = ServiceLoader.load(ListenerFactory.class, plugin).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(candidate -> candidate.name().equals("email"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no 'email' ListenerFactory registered in the plugin jar"));
            assertThat(factory.getClass().getClassLoader()).isSameAs(plugin);
            assertThat(plugin.loadClass("jakarta.mail.Session").getClassLoader())
                    .as("Jakarta Mail must come from inside the plugin jar")
                    .isSameAs(plugin);

            Map<String, Object> settings = new HashMap<>();
            settings.put("server", "127.0.0.1:" + SMTP.getSmtp().getPort());
            settings.put("from", "kinto@example.com");
            settings.put("recipients", List.of("ops@example.com"));
            Listener listener = factory.create(TestListenerContext.named("send_email").settings(settings));
            listener.onEvent(TestEvent.of(Action.CREATE, "record").user("basicauth:alice").build());
        } finally {
            thread.setContextClassLoader(previous);
        }

        assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(SMTP.getReceivedMessages()).singleElement().satisfies(mail -> {
            assertThat(mail.getSubject()).isEqualTo("record created");
            assertThat(GreenMailUtil.getBody(mail).trim()).isEqualTo("User id: basicauth:alice");
        });
    }
}
