package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.JavaProcess;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * The command line gives the same printed loss and the same bytes in {@code --loss-out} and {@code --grad-out}
 * with {@code --threads 1}, {@code 2} and {@code 3}: soft-label cross-entropy on 2048 x 1000 float32 (32 parts)
 * and distillation on 64 x 40000 (64 parts of one row each); and in a JVM that only interprets ({@code -Xint},
 * with {@code --threads 2}) on the first 256 and 4 rows of those batches (4 parts each), since the interpreted
 * Vector API needs about a minute per million values.
 */
class CliDeterminismTest {

    @TempDir
    Path dir;

    @Test
    void crossEntropyAndDistillationGiveTheSameBytesOnAnyThreadCountAndTier() throws IOException {
        SplittableRandom rnd = new SplittableRandom(2048);
        write("x.npy", 2048, 1000, rnd, false);
        write("y.npy", 2048, 1000, rnd, true);
        write("s.npy", 64, 40000, rnd, false);
        write("t.npy", 64, 40000, rnd, false);
        threads("cross-entropy", "x.npy", "y.npy");
        threads("distillation", "s.npy", "t.npy");
        rnd = new SplittableRandom(256);
        write("xs.npy", 256, 1000, rnd, false);
        write("ys.npy", 256, 1000, rnd, true);
        write("ss.npy", 4, 40000, rnd, false);
        write("ts.npy", 4, 40000, rnd, false);
        interpreted("cross-entropy", "xs.npy", "ys.npy");
        interpreted("distillation", "ss.npy", "ts.npy");
    }

    /** Threads 1, 2, 3 in this JVM: the same printed line and files; returns them, for the -Xint comparison. */
    private Object[] threads(String command, String input, String target) throws IOException {
        List<String> first = null;
        byte[] loss = null;
        byte[] grad = null;
        for (String threads : new String[] {"1", "2", "3"}) {
            CliGoldenTest.Result r = CliGoldenTest.run(args(command, input, target, threads, threads));
            assertEquals(0, r.code(), r.err());
            byte[] l = Files.readAllBytes(dir.resolve("loss-" + threads + ".npy"));
            byte[] g = Files.readAllBytes(dir.resolve("grad-" + threads + ".npy"));
            if (first == null) {
                first = List.of(r.out().strip());
                loss = l;
                grad = g;
            } else {
                assertEquals(first, List.of(r.out().strip()), command + " --threads " + threads + ": printed loss");
                assertArrayEquals(loss, l, command + " --threads " + threads + ": --loss-out");
                assertArrayEquals(grad, g, command + " --threads " + threads + ": --grad-out");
            }
        }
        return new Object[] {first, loss, grad};
    }

    /** -Xint with --threads 2 in a fresh JVM against this JVM's threads 1, 2, 3. */
    @SuppressWarnings("unchecked")
    private void interpreted(String command, String input, String target) throws IOException {
        Object[] here = threads(command, input, target);
        List<String> first = (List<String>) here[0];
        byte[] loss = (byte[]) here[1];
        byte[] grad = (byte[]) here[2];
        List<String> java = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Dxent.") || a.startsWith("-XX:UseAVX") || a.startsWith("--add-modules")) {
                java.add(a);
            }
        }
        java.addAll(List.of("-Xint", "-cp", System.getProperty("java.class.path") + File.pathSeparator
                + JavaProcess.locationOf(Main.class), Main.class.getName()));
        java.addAll(args(command, input, target, "2", "xint"));
        JavaProcess.Result r = JavaProcess.run(dir, java);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(first, List.of(r.out().strip()), command + " under -Xint: printed loss");
        assertArrayEquals(loss, Files.readAllBytes(dir.resolve("loss-xint.npy")), command + " under -Xint: --loss-out");
        assertArrayEquals(grad, Files.readAllBytes(dir.resolve("grad-xint.npy")), command + " under -Xint: --grad-out");
    }

    private List<String> args(String command, String input, String target, String threads, String tag) {
        return List.of(command, "--input", dir.resolve(input).toString(), "--target", dir.resolve(target).toString(),
                "--threads", threads, "--reduction", "none",
                "--loss-out", dir.resolve("loss-" + tag + ".npy").toString(),
                "--grad-out", dir.resolve("grad-" + tag + ".npy").toString());
    }

    private void write(String name, int rows, int classes, SplittableRandom rnd, boolean probabilities)
            throws IOException {
        float[] v = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                v[r * classes + c] = probabilities ? (float) rnd.nextDouble() : (float) (4 * rnd.nextGaussian());
                sum += v[r * classes + c];
            }
            if (probabilities) {
                for (int c = 0; c < classes; c++) {
                    v[r * classes + c] = (float) (v[r * classes + c] / sum);
                }
            }
        }
        Npy.write(dir.resolve(name), NpyArray.of(v, rows, classes));
    }
}
