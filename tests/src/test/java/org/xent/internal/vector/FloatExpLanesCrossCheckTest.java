package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The exp has a different form at each vector width (a table of 16, 8 or 4 entries, one lane permute, a cubic
 * or a quartic; see FloatExpTable): at whatever width this JVM runs (the build runs this class at 512, 256 and
 * 128 bits where the machine has them), the lanes must give the scalar twin's bits for every table index and
 * the values around every table boundary.
 */
class FloatExpLanesCrossCheckTest {

    @Test
    void lanesMatchTheScalarTwinBitForBitAtThisWidth() {
        int lanes = Species.FLOAT.length();
        SplittableRandom random = new SplittableRandom(17);
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        long checked = 0;
        int size = FloatExp.FORM.size();
        int lowest = -127 * size - 8; // a little past the clamp, which lands on k = -127 T
        for (int k = 0; k >= lowest; k--) {
            // z near k ln2 / T: both sides of each rounding boundary of k, so every index j = k mod T and
            // every exponent n = k div T occurs, in every lane position
            float centre = (float) (k * Math.log(2) / size);
            for (int rep = 0; rep < 4; rep++) {
                for (int l = 0; l < lanes; l++) {
                    in[l] = Math.min(0f, centre + (float) ((random.nextDouble() - 0.5) * Math.log(2) / size));
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
        assertEquals((1L - lowest) * 4 * lanes, checked);
        System.out.println("FloatExp lanes vs scalar twin: " + checked + " values at " + lanes
                + " lanes (" + size + "-entry table), bit-identical");
    }
}
