package org.kinto4j.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback's stack traces ({@code %ex}) with credentials masked ({@link SecretMasking}). */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return SecretMasking.mask(super.throwableProxyToString(proxy));
    }
}
