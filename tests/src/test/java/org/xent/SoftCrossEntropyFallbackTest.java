package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.KernelProvider;

/**
 * The fallback path: surefire runs this class (and only the *FallbackTest classes) in a JVM started WITHOUT
 * {@code --add-modules jdk.incubator.vector} and with {@code -Dxent.backend=auto}. The library must pick the
 * scalar kernels, say so once at WARNING through {@link System.Logger}, and still compute correct losses.
 *
 * <p>Nothing here may touch a loss class or the provider before {@link #captureLog()} has installed the log
 * handler: the provider chooses and logs once, when first used.
 */
class SoftCrossEntropyFallbackTest {

    /** Strong reference: java.util.logging keeps loggers weakly, and a collected logger loses its handler. */
    private static final Logger XENT_LOGGER = Logger.getLogger(KernelProviderName.NAME);
    private static final List<LogRecord> RECORDS = new ArrayList<>();

    /** The logger name, kept out of KernelProvider so that reading it does not initialise anything. */
    private static final class KernelProviderName {
        static final String NAME = "org.xent";
    }

    /** Set only by the 'fallback' execution, so that a run selecting this class with -Dtest skips it elsewhere. */
    private static final String FALLBACK_JVM_PROPERTY = "xent.test.fallbackJvm";

    @BeforeAll
    static void captureLog() {
        assumeTrue(Boolean.getBoolean(FALLBACK_JVM_PROPERTY),
                "runs only in the fallback JVM (tests/pom.xml, execution 'fallback')");
        XENT_LOGGER.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (RECORDS) {
                    RECORDS.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        XENT_LOGGER.setLevel(Level.ALL);
    }

    @Test
    void runsWithoutTheIncubatorModule() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "this class must run in a JVM without jdk.incubator.vector (see tests/pom.xml, execution 'fallback')");
        assertEquals("auto", System.getProperty(KernelProvider.BACKEND_PROPERTY));
        assertEquals(KernelProviderName.NAME, KernelProvider.LOGGER_NAME);
    }

    @Test
    void picksScalarKernelsAndLogsWhy() {
        assertFalse(KernelProvider.kernels().isVector(), "without the module the scalar kernels must be used");
        assertTrue(KernelProvider.vector().isEmpty(), "the vector family must report itself unavailable");
        List<LogRecord> warnings = new ArrayList<>();
        synchronized (RECORDS) {
            for (LogRecord r : RECORDS) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(r);
                }
            }
        }
        assertEquals(1, warnings.size(), "exactly one WARNING about the fallback, got " + RECORDS.size()
                + " records: " + describe(RECORDS));
        String message = warnings.get(0).getMessage();
        assertTrue(message.contains("jdk.incubator.vector"), "the warning should name the missing module: " + message);
        assertTrue(message.contains("scalar"), "the warning should say scalar kernels are used: " + message);
    }

    @Test
    void resultsMatchFloat64Reference() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[][] shapes = {{1, 1}, {3, 7}, {17, 33}, {4, 1000}, {2, 4097}};
        for (int[] shape : shapes) {
            int rows = shape[0], classes = shape[1];
            float[] x = new float[rows * classes];
            float[] y = new float[rows * classes];
            for (int n = 0; n < rows; n++) {
                double total = 0;
                for (int c = 0; c < classes; c++) {
                    x[n * classes + c] = (float) (3 * rnd.nextGaussian());
                    y[n * classes + c] = (float) -Math.log(1 - rnd.nextDouble());
                    total += y[n * classes + c];
                }
                for (int c = 0; c < classes; c++) {
                    y[n * classes + c] = (float) (y[n * classes + c] / total);
                }
            }
            SoftCrossEntropyReference.Row[] ref = SoftCrossEntropyReference.rows(x, 0, y, 0, rows, classes, null, 0.1);
            SoftCrossEntropy loss = SoftCrossEntropy.builder().reduction(Reduction.MEAN).labelSmoothing(0.1).build();
            float[] grad = new float[rows * classes];
            float value = loss.forwardBackward(x, 0, y, 0, rows, classes, null, 0, grad, 0);
            double expected = SoftCrossEntropyReference.sum(ref) / rows;
            // the scalar kernel computes in double: its error is the rounding of coefficients and results to
            // float, a few u relative (the cross-check measures at most 1.01 u times the term magnitude)
            assertClose(expected, value, 4e-7 * Math.abs(expected), "mean loss " + rows + "x" + classes);
            // per element: 8 u (pA_c + |a_c|), the scalar gradient bound of SoftCrossEntropyCrossCheckTest
            for (int n = 0; n < rows; n++) {
                for (int c = 0; c < classes; c++) {
                    double bound = 8 * 0x1p-24 * (ref[n].pA[c] + Math.abs(ref[n].a[c])) / rows;
                    assertClose(ref[n].grad[c] / rows, grad[n * classes + c], bound,
                            "gradient " + rows + "x" + classes + " [" + n + "," + c + "]");
                }
            }
            double[] xd = new double[x.length];
            double[] yd = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                xd[i] = x[i];
                yd[i] = y[i];
            }
            double value64 = loss.forward(xd, yd, rows, classes);
            assertClose(expected, value64, 1e-12 * Math.abs(expected), "float64 mean loss " + rows + "x" + classes);
        }
    }

    private static void assertClose(double expected, double actual, double bound, String what) {
        if (!(Math.abs(actual - expected) <= bound)) {
            fail(what + ": got " + actual + ", expected " + expected + ", bound " + bound);
        }
    }

    private static String describe(List<LogRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (LogRecord r : records) {
            sb.append('[').append(r.getLevel()).append(' ').append(r.getMessage()).append(']');
        }
        return sb.toString();
    }
}
