package org.xent.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xent.bench.jmh.Shape;
import org.xent.bench.results.BenchmarkId;
import org.xent.bench.results.JmhResult;

/**
 * A JMH result converted into the report's units: elements per second (one element = one of the N x C
 * logits) and bytes per second (from {@link BenchmarkId#bytesPerElement()}).
 *
 * @param threads the {@code threads} parameter of a threaded benchmark, or 0 for one without it
 */
record Measured(BenchmarkId id, Shape shape, int threads, double opsPerSecond, double opsError) {

    double gelems() {
        return opsPerSecond * shape.elements() / 1e9;
    }

    double gelemsError() {
        return opsError * shape.elements() / 1e9;
    }

    double gbytes() {
        return gelems() * id.bytesPerElement();
    }

    double relativeError() {
        return opsPerSecond > 0 ? opsError / opsPerSecond : 0;
    }

    /** The label of {@link BenchmarkId#label()}, with the thread count of a threaded benchmark. */
    String label() {
        return id.label() + (threads == 0 ? "" : threads == 1 ? ", 1 thread" : ", " + threads + " threads");
    }

    /** The results whose name and shape parameter can be interpreted, in a stable display order. */
    static List<Measured> from(List<JmhResult> results) {
        List<Measured> list = new ArrayList<>();
        for (JmhResult r : results) {
            BenchmarkId id = r.id();
            if (id == null || r.shape().isEmpty()) {
                continue;
            }
            String threads = r.params().get("threads");
            list.add(new Measured(id, Shape.parse(r.shape()), threads == null ? 0 : Integer.parseInt(threads.trim()),
                    r.rate(), r.rateError()));
        }
        list.sort(ORDER);
        return list;
    }

    static final Comparator<Measured> ORDER = Comparator
            .comparingInt((Measured m) -> m.shape.classes())
            .thenComparingInt(m -> m.shape.rows())
            .thenComparing(m -> m.id.isRoofline())
            .thenComparing(m -> m.id.loss())
            .thenComparingInt(m -> m.id.bits())
            .thenComparing(m -> m.id.backward())
            .thenComparingInt(m -> implementationRank(m.id.implementation()))
            .thenComparingInt(m -> m.threads);

    private static int implementationRank(String implementation) {
        return switch (implementation) {
            case "naive" -> 0;
            case "torch" -> 1;
            case "scalar" -> 2;
            case "vector" -> 3;
            default -> 4;
        };
    }

    /** The measurement of {@code id} at the same shape and thread count (0: not threaded), or null. */
    static Measured find(List<Measured> all, BenchmarkId id, Shape shape, int threads) {
        for (Measured m : all) {
            if (m.id.equals(id) && m.shape.equals(shape) && m.threads == threads) {
                return m;
            }
        }
        return null;
    }
}
