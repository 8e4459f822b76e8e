package org.xent.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The threaded roofline splits a batch as the library does: the same part size and parallel threshold. */
class ParallelRooflineTest {

    private static long coreConstant(String name) throws ReflectiveOperationException {
        Field f = Class.forName("org.xent.ViewLoss").getDeclaredField(name);
        f.setAccessible(true);
        return ((Number) f.get(null)).longValue();
    }

    @Test
    void partsAreTheLibrarys() throws ReflectiveOperationException {
        assertEquals(coreConstant("PART_ELEMENTS"), ParallelRooflineBench.PART_ELEMENTS);
        assertEquals(coreConstant("PARALLEL_MIN_ELEMENTS"), ParallelRooflineBench.PARALLEL_MIN_ELEMENTS);
    }

    @Test
    void partRangesCoverTheBatchLikeTheWholeArrayKernels() {
        float[] a = new float[1000];
        float[] b = new float[1000];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 7 - 3;
            b[i] = i % 5 - 2;
        }
        float parts = RooflineKernels.dot(a, b, 0, 333) + RooflineKernels.dot(a, b, 333, 1000);
        assertEquals(RooflineKernels.dot(a, b, a.length), parts);
        float[] whole = new float[1000];
        float[] split = new float[1000];
        RooflineKernels.stream(a, b, whole, whole.length, 0.5f);
        RooflineKernels.stream(a, b, split, 0, 333, 0.5f);
        RooflineKernels.stream(a, b, split, 333, 1000, 0.5f);
        assertEquals(java.util.Arrays.toString(whole), java.util.Arrays.toString(split));
    }
}
