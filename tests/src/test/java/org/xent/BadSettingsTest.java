package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.internal.KernelProvider;

/**
 * A bad value of a {@code xent.*} system property is an {@link IllegalArgumentException} naming the property and
 * the value, on the first call of a loss and on every call after it (not an ExceptionInInitializerError, then a
 * NoClassDefFoundError). The library reads the properties once per JVM, so each case is a JVM of its own running
 * {@link SettingsProbe}, with core on the class path as in the launcher.
 */
class BadSettingsTest {

    private static final String IAE = IllegalArgumentException.class.getName() + ": ";

    @TempDir
    Path tmp;

    @Test
    void badBackend() {
        assertEveryCall(IAE + "xent.backend must be auto, vector or scalar, got 'banana'", false,
                "-Dxent.backend=banana");
        assertEveryCall(IAE + "xent.backend must be auto, vector or scalar, got ''", false, "-Dxent.backend=");
    }

    @Test
    void vectorDemandedWithoutTheVectorApi() {
        assertEveryCall(IllegalStateException.class.getName() + ": xent: -Dxent.backend=vector demands the vector"
                + " kernels, but the module jdk.incubator.vector is not available (start the JVM with --add-modules"
                + " jdk.incubator.vector)", false, "-Dxent.backend=vector");
    }

    /** With the Vector API and backend auto: a bad width used to fall back to the scalar kernels, with a warning. */
    @Test
    void badVectorBits() {
        assumeTrue(KernelProvider.vectorUnavailableReason() == null, "this JVM has no Vector API");
        assertEveryCall(IAE + "xent.vectorBits must be 128, 256 or 512, got 'abc'", true, "-Dxent.vectorBits=abc");
        assertEveryCall(IAE + "xent.vectorBits must be 128, 256 or 512, got 100", true, "-Dxent.vectorBits=100");
        assertEveryCall(IAE + "xent.vectorBits must be 128, 256 or 512, got 1024", true,
                "-Dxent.backend=vector", "-Dxent.vectorBits=1024");
    }

    /** Wider than the machine: 512 bits with AVX-512 switched off (x86), or on a machine without it. */
    @Test
    void vectorBitsWiderThanTheMachine() {
        assumeTrue(KernelProvider.vectorUnavailableReason() == null, "this JVM has no Vector API");
        List<String> lines = probe(true, "-XX:+IgnoreUnrecognizedVMOptions", "-XX:UseAVX=2",
                "-Dxent.vectorBits=512");
        assumeFalse(lines.get(0).startsWith("ok "), "this machine has 512-bit vectors even with -XX:UseAVX=2");
        String expected = IAE + "xent.vectorBits=512 is wider than this machine's preferred vector size (";
        for (String line : lines) {
            assertTrue(line.startsWith(expected) && line.endsWith(" bits)"), line);
        }
    }

    /** The property the scalar kernels do not use is not looked at when they are forced. */
    @Test
    void vectorBitsIsIgnoredWithTheScalarBackend() {
        for (String line : probe(true, "-Dxent.backend=scalar", "-Dxent.vectorBits=abc")) {
            assertTrue(line.startsWith("ok ") && Math.abs(Double.parseDouble(line.substring(3)) - 0.40760596) < 1e-6,
                    line);
        }
    }

    private void assertEveryCall(String expected, boolean vectorApi, String... jvmArgs) {
        List<String> lines = probe(vectorApi, jvmArgs);
        assertEquals(List.of(expected, expected, expected), lines, "one line per call, each the same failure");
    }

    private List<String> probe(boolean vectorApi, String... jvmArgs) {
        List<String> args = new ArrayList<>();
        if (vectorApi) {
            args.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        args.addAll(List.of(jvmArgs));
        args.addAll(List.of("-cp", JavaProcess.locationOf(SoftCrossEntropy.class) + File.pathSeparator
                + JavaProcess.locationOf(SettingsProbe.class), SettingsProbe.class.getName()));
        JavaProcess.Result r = JavaProcess.run(tmp, args);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(3, r.outLines().size(), r.toString());
        return r.outLines();
    }
}
