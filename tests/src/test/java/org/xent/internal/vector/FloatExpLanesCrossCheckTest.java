package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The exp's table lookup is a different lane permute at each vector width (one vector at 16 lanes, two at 8,
 * four at 4): at whatever width this JVM runs (the build runs this class at 512, 256 and 128 bits), the lanes
 * must give the scalar twin's bits for every table index and the values around every table boundary.
 */
class FloatExpLanesCrossCheckTest {

    @Test
    void lanesMatchTheScalarTwinBitForBitAtThisWidth() {
        int lanes = Species.FLOAT.length();
        SplittableRandom random = new SplittableRandom(17);
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        long checked = 0;
        for (int k = 0; k >= -2040; k--) {
            // z near k ln2 / 16: both sides of each rounding boundary of k, so every index j = k mod 16 and
            // every exponent n = k div 16 occurs, in every lane position
            float centre = (float) (k * Math.log(2) / 16);
            for (int rep = 0; rep < 4; rep++) {
                for (int l = 0; l < lanes; l++) {
                    in[l] = Math.min(0f, centre + (float) ((random.nextDouble() - 0.5) * Math.log(2) / 16));
                }
                FloatExp.expNonPositive(FloatVector.fromArray(Species.FLOAT, in, 0)).intoArray(out, 0);
                for (int l = 0; l < lanes; l++) {
                    float scalar = FloatExp.expNonPositive(in[l]);
                    assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[l]),
                            lanes + " lanes, lane " + l + ": exp(" + in[l] + ") = " + out[l] + ", scalar " + scalar);
                    checked++;
                }
            }
        }
        assertEquals(2041L * 4 * lanes, checked);
        System.out.println("FloatExp lanes vs scalar twin: " + checked + " values at " + lanes
                + " lanes, bit-identical");
    }
}
