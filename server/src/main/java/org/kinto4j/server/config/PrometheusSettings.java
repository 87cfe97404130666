package org.kinto4j.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kinto's prometheus plugin settings: {@code prometheus_prefix} (default: the project name),
 * {@code prometheus_disabled_metrics}, {@code prometheus_histogram_buckets} (seconds).
 *
 * @param prefix normalised as Kinto does: {@code remote-settings} becomes {@code remotesettings_}
 */
public record PrometheusSettings(String prefix, Set<String> disabledMetrics, List<Double> histogramBuckets) {

    static PrometheusSettings read(ConfigReader r, String projectName) {
        String raw = r.string("prometheus_prefix");
        String prefix = normalise(raw.isEmpty() ? projectName : raw);
        List<Double> buckets = new ArrayList<>();
        for (String b : r.list("prometheus_histogram_buckets")) {
            try {
                double v = b.equalsIgnoreCase("inf") || b.equalsIgnoreCase("+inf") ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(b);
                if (!(v > 0)) {
                    throw new NumberFormatException();
                }
                buckets.add(v);
            } catch (NumberFormatException e) {
                throw new ConfigError("Invalid value for 'prometheus_histogram_buckets' in "
                        + r.origin("prometheus_histogram_buckets") + ": \"" + b
                        + "\". Expected positive numbers of seconds (and optionally Inf), e.g. [0.01, 0.1, 1, Inf].");
            }
        }
        buckets.sort(null);
        Set<String> disabled = Set.copyOf(r.list("prometheus_disabled_metrics"));
        return new PrometheusSettings(prefix, disabled, List.copyOf(buckets));
    }

    /** Kinto's rule: {@code -}, {@code .} and spaces become {@code _}, then every {@code _} goes and one is appended. */
    static String normalise(String name) {
        return name.replaceAll("[-. ]", "_").replace("_", "").toLowerCase(Locale.ROOT) + "_";
    }

    /** Whether a metric (named with or without the prefix) is enabled. */
    public boolean enabled(String name) {
        String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        return !disabledMetrics.contains(name) && !disabledMetrics.contains(bare) && !disabledMetrics.contains(prefix + bare);
    }
}
