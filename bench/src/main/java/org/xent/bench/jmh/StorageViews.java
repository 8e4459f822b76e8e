package org.xent.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.ElementType;
import org.xent.TensorView;
import org.xent.internal.HalfFloats;

/**
 * The benchmark's input sets again, in native memory, as float32, bfloat16 and float16 {@link TensorView}s (what
 * an off-heap backend holds), with a native gradient of each type. The values are those of the {@code float[]}
 * sets, rounded to the 16-bit types, so every storage variant runs on the same numbers.
 */
final class StorageViews implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    final TensorView[] logits32, targets32, logitsBf16, targetsBf16, logitsF16, targetsF16;
    final TensorView grad32, gradBf16, gradF16;

    StorageViews(float[][] logits, float[][] targets, int rows, int classes) {
        int sets = logits.length;
        logits32 = new TensorView[sets];
        targets32 = new TensorView[sets];
        logitsBf16 = new TensorView[sets];
        targetsBf16 = new TensorView[sets];
        logitsF16 = new TensorView[sets];
        targetsF16 = new TensorView[sets];
        for (int s = 0; s < sets; s++) {
            logits32[s] = float32(logits[s], rows, classes);
            targets32[s] = float32(targets[s], rows, classes);
            logitsBf16[s] = half(logits[s], ElementType.BFLOAT16, rows, classes);
            targetsBf16[s] = half(targets[s], ElementType.BFLOAT16, rows, classes);
            logitsF16[s] = half(logits[s], ElementType.FLOAT16, rows, classes);
            targetsF16[s] = half(targets[s], ElementType.FLOAT16, rows, classes);
        }
        long n = (long) rows * classes;
        grad32 = TensorView.of(arena.allocate(4 * n, 64), ElementType.FLOAT32).matrix(rows, classes);
        gradBf16 = TensorView.of(arena.allocate(2 * n, 64), ElementType.BFLOAT16).matrix(rows, classes);
        gradF16 = TensorView.of(arena.allocate(2 * n, 64), ElementType.FLOAT16).matrix(rows, classes);
    }

    private TensorView float32(float[] values, int rows, int classes) {
        MemorySegment seg = arena.allocate(4L * values.length, 64);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, values.length);
        return TensorView.of(seg, ElementType.FLOAT32).matrix(rows, classes);
    }

    private TensorView half(float[] values, ElementType type, int rows, int classes) {
        short[] bits = new short[values.length];
        if (type == ElementType.BFLOAT16) {
            HalfFloats.narrowBfloat16(values, 0, bits, 0, values.length);
        } else {
            HalfFloats.narrowFloat16(values, 0, bits, 0, values.length);
        }
        MemorySegment seg = arena.allocate(2L * values.length, 64);
        MemorySegment.copy(bits, 0, seg, ValueLayout.JAVA_SHORT, 0, values.length);
        return TensorView.of(seg, type).matrix(rows, classes);
    }

    @Override
    public void close() {
        arena.close();
    }
}
