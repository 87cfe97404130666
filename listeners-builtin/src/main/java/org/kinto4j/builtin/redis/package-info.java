/**
 * The built-in {@code redis} listener ({@code use = redis}): pushes each event's payload JSON
 * onto a Redis list, like Kinto's historical Redis listener, with {@code RPUSH} and durable
 * delivery by default. See {@link org.kinto4j.builtin.redis.RedisListenerFactory}.
 */
package org.kinto4j.builtin.redis;
