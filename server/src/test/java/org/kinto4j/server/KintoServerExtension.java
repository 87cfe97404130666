package org.kinto4j.server;

import java.lang.reflect.Parameter;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KintoServer}: starts the server before the class's first
 * test, keeps it in the class's extension store (JUnit closes it after the last test, as it
 * closes every {@link AutoCloseable} stored) and resolves {@link TestServer}, {@link Client}
 * and {@link User} parameters.
 */
public final class KintoServerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KintoServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        String config = AnnotationSupport.findAnnotation(testClass, KintoServer.class)
                .map(annotation -> String.join("\n", annotation.config()))
                .orElse("");
        context.getStore(NAMESPACE).computeIfAbsent(testClass, key -> TestServer.start(config), TestServer.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestServer.class
                || (parameter.isAnnotated(User.class) && (type == Client.class || type == String.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestServer server = server(context);
        Parameter p = parameter.getParameter();
        if (p.getType() == TestServer.class) {
            return server;
        }
        Client client = server.as(parameter.findAnnotation(User.class).orElseThrow().value());
        return p.getType() == Client.class ? client : client.id();
    }

    private static TestServer server(ExtensionContext context) {
        TestServer server = context.getStore(NAMESPACE).get(context.getRequiredTestClass(), TestServer.class);
        if (server == null) {
            throw new ParameterResolutionException("no kinto4j test server for " + context.getRequiredTestClass().getName()
                    + ": annotate the class with @KintoServer");
        }
        return server;
    }
}
