/**
 * The built-in {@code webhook} listener ({@code use = webhook}): signed HTTP POSTs following
 * Standard Webhooks, durable by default. See {@link org.kinto4j.builtin.webhook.WebhookListenerFactory}.
 */
package org.kinto4j.builtin.webhook;
