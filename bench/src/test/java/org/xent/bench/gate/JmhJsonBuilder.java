package org.xent.bench.gate;

import java.util.Locale;
import org.xent.bench.machine.ClassStamp;
import org.xent.bench.machine.MachineClass;

/**
 * Writes synthetic JMH JSON result files in the exact layout JMH 1.37 produces (only the fields read), stamped
 * with a machine class as {@code bench} stamps them (by default {@value #DEFAULT_CLASS}).
 */
final class JmhJsonBuilder {

    static final String DEFAULT_CLASS = "avx512-512";

    private static final String PKG = "org.xent.bench.jmh.";
    private final StringBuilder sb = new StringBuilder("[\n");
    private boolean first = true;
    private MachineClass machine = MachineClass.parseId(DEFAULT_CLASS);

    /** Records the class {@code id} (e.g. {@code avx2-256}) instead of the default. */
    JmhJsonBuilder machineClass(String id) {
        machine = MachineClass.parseId(id);
        return this;
    }

    /** Writes no class record, like files from before classes were recorded. */
    JmhJsonBuilder withoutClass() {
        machine = null;
        return this;
    }

    /** A throughput result in ops/s; {@code error} is JMH's 99.9 % half-width ("NaN" when negative). */
    JmhJsonBuilder add(String classAndMethod, String shape, double score, double error) {
        return add(classAndMethod, shape, 0, score, error);
    }

    /** {@link #add(String, String, double, double)} of a benchmark with a {@code threads} parameter (0: none). */
    JmhJsonBuilder add(String classAndMethod, String shape, int threads, double score, double error) {
        if (!first) {
            sb.append(",\n");
        }
        first = false;
        sb.append(String.format(Locale.ROOT, """
                    {
                        "jmhVersion" : "1.37",
                        "benchmark" : "%s%s",
                        "mode" : "thrpt",
                        "threads" : 1,
                        "forks" : 2,
                        "params" : {
                            "shape" : "%s"%s
                        },
                        "primaryMetric" : {
                            "score" : %s,
                            "scoreError" : %s,
                            "scoreConfidence" : [ 0.0, 0.0 ],
                            "scoreUnit" : "ops/s",
                            "rawData" : [ [ 1.0, 2.0 ] ]
                        },
                        "secondaryMetrics" : {
                        }
                    }""", PKG, classAndMethod, shape, threads == 0 ? "" : ",\n                \"threads\" : \"" + threads + "\"", score, error < 0 ? "\"NaN\"" : Double.toString(error)));
        return this;
    }

    /**
     * A typical suite at one shape: rooflines at {@code roof} ops/s (±1 %) and the vector forward kernel at
     * {@code vector} ops/s (±1 %), plus a naive kernel at 10 ops/s.
     */
    static JmhJsonBuilder suite(double roof, double vector) {
        return new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", roof, roof * 0.01)
                .add("RooflineBench.stream32", "1024x1000", roof / 2, roof * 0.005)
                .add("SoftCrossEntropyBench.naiveForward32", "1024x1000", 10, 0.1)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", vector, vector * 0.01);
    }

    String build() {
        String json = sb + "\n]\n";
        return machine == null ? json : ClassStamp.stamp(json, machine);
    }
}
