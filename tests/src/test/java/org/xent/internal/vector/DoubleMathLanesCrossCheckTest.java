package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * The float64 exp and log give their scalar twins' bits in every lane, at whatever width this JVM runs (the
 * build runs this class at 512, 256 and 128 bits: 8, 4 and 2 double lanes): the kernels' scalar tails then
 * agree with their lanes, and a result does not depend on the vector width. The arguments cover each
 * function's range, its special values and the edges of its clamps, each in every lane position.
 */
class DoubleMathLanesCrossCheckTest {

    private static final double[] EXP_EDGES = {0.0, -0.0, -Double.MIN_VALUE, -0x1p-53, -0.34657359027997264,
        -0.3465735902799727, -1, -708.3964185322641, -708.74, -708.75, DoubleExp.FLOOR, Math.nextDown(DoubleExp.FLOOR),
        -745.13, -746, -1e300, Double.NEGATIVE_INFINITY, Double.NaN};
    private static final double[] WIDE_EDGES = {1, 0.34657359027997264, 709.78, 709.79, 710, 1e300,
        Double.POSITIVE_INFINITY, -Double.NaN};
    private static final double[] LOG_EDGES = {0.0, -0.0, -1.0, Double.MIN_VALUE, Math.nextDown(Double.MIN_NORMAL),
        Double.MIN_NORMAL, 1.0, Math.nextUp(1.0), Math.nextDown(1.0), 0.7071067811865475, 0.7071067811865476,
        1.414213562373095, 1.4142135623730951, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN};

    private static long check(String name, UnaryOperator<DoubleVector> lanes, DoubleUnaryOperator scalar,
                              double[] edges, DoubleUnaryOperator random) {
        int n = Species.DOUBLE.length();
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        double[] in = new double[n];
        double[] out = new double[n];
        long checked = 0;
        for (int k = 0; k < 20_000; k++) {
            for (int l = 0; l < n; l++) {
                int e = k * n + l; // the edges first, then again shifted by one lane per round
                in[l] = e < 2 * edges.length * n ? edges[(e / n + l) % edges.length] : random.applyAsDouble(rnd.nextDouble());
            }
            lanes.apply(DoubleVector.fromArray(Species.DOUBLE, in, 0)).intoArray(out, 0);
            for (int l = 0; l < n; l++) {
                double twin = scalar.applyAsDouble(in[l]);
                assertEquals(Double.doubleToRawLongBits(twin), Double.doubleToRawLongBits(out[l]),
                        name + " at " + n + " lanes, lane " + l + ": f(" + in[l] + ") = " + out[l] + ", twin " + twin);
                checked++;
            }
        }
        System.out.println(name + " lanes vs scalar twin: " + checked + " values at " + n + " lanes, bit-identical");
        return checked;
    }

    @Test
    void expNonPositive() {
        check("DoubleExp", DoubleExp::expNonPositive, DoubleExp::expNonPositive, EXP_EDGES, u -> -750 * u);
    }

    @Test
    void expWide() {
        double[] edges = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(EXP_EDGES),
                java.util.Arrays.stream(WIDE_EDGES)).toArray();
        check("DoubleExpWide", DoubleExpWide::exp, DoubleExpWide::exp, edges, u -> -750 + 1470 * u);
    }

    @Test
    void log() {
        // random bit patterns of positive doubles: every binade, subnormals included
        check("DoubleLog", DoubleLog::log, DoubleLog::log, LOG_EDGES,
                u -> Double.longBitsToDouble((long) (u * Double.doubleToRawLongBits(Double.POSITIVE_INFINITY))));
    }
}
