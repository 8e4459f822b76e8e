package org.xent.bench.results;

import java.util.Map;

/**
 * One row of a JMH JSON result file, reduced to what the report and the gate need.
 *
 * @param benchmark fully qualified benchmark method name
 * @param shape     the {@code shape} parameter ({@code "NxC"}), or "" if the benchmark has none
 * @param rate      operations per second (converted from whatever mode and unit JMH used)
 * @param rateError half-width of JMH's 99.9 % confidence interval, in the same unit (0 when JMH reported NaN,
 *                  i.e. too few iterations to estimate it)
 * @param params    every JMH parameter
 */
public record JmhResult(String benchmark, String shape, double rate, double rateError, Map<String, String> params) {

    /** The parsed name, or null for a benchmark that follows no naming pattern. */
    public BenchmarkId id() {
        return BenchmarkId.parse(benchmark);
    }

    /** Key that identifies the same measurement in two files: name plus parameters. */
    public String key() {
        return params.isEmpty() ? benchmark : benchmark + " " + params;
    }

    public double relativeError() {
        return rate > 0 ? rateError / rate : 0;
    }
}
