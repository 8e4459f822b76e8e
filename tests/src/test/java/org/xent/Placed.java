package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.internal.HalfFloats;

/**
 * Test values placed in one kind of storage (heap array, heap segment over a {@code byte[]} at an odd address,
 * native memory) and element type, with guard bytes before, after and in the padding of every row, so that a test
 * can check a loss wrote nothing outside its view.
 */
final class Placed {

    /** Where the values live. */
    enum Kind { HEAP_ARRAY, HEAP_SEGMENT, NATIVE }

    static final int GUARD = 5;
    private static final byte GUARD_BYTE = 0x5A;

    final TensorView view;
    private final MemorySegment storage; // every byte of the storage, for the guard check
    private final ElementType type;
    private final long rows, columns, stride;

    private Placed(TensorView view, MemorySegment storage, ElementType type, long rows, long columns, long stride) {
        this.view = view;
        this.storage = storage;
        this.type = type;
        this.rows = rows;
        this.columns = columns;
        this.stride = stride;
    }

    /** An N x C matrix of {@code values} (row-major, already representable in {@code type}), rows padded by {@code pad}. */
    static Placed matrix(float[] values, int rows, int columns, int pad, ElementType type, Kind kind, Arena arena) {
        long stride = columns + pad;
        long count = GUARD + (rows == 0 ? 0 : (rows - 1) * stride + columns) + GUARD;
        Storage s = allocate(count, type, kind, arena);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                put(s.bytes, type, GUARD + r * stride + c, values[r * columns + c]);
            }
        }
        TensorView v = s.whole.matrix(GUARD, rows, columns, stride);
        return new Placed(v, s.bytes, type, rows, columns, stride);
    }

    /** A vector of {@code values} (floating point: representable in {@code type}; integers: class indices). */
    static Placed vector(double[] values, ElementType type, Kind kind, Arena arena) {
        Storage s = allocate(GUARD + values.length + GUARD, type, kind, arena);
        for (int i = 0; i < values.length; i++) {
            put(s.bytes, type, GUARD + i, values[i]);
        }
        return new Placed(s.whole.vector(GUARD, values.length), s.bytes, type, values.length, 1, 1);
    }

    /** Element (r, c) of the view, widened to double. */
    double get(long r, long c) {
        long off = (GUARD + r * stride + c) * type.byteSize();
        return switch (type) {
            case FLOAT32 -> storage.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
            case FLOAT64 -> storage.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, off);
            case BFLOAT16 -> HalfFloats.bfloat16ToFloat(storage.get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
            case FLOAT16 -> Float.float16ToFloat(storage.get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
            case INT32 -> storage.get(ValueLayout.JAVA_INT_UNALIGNED, off);
            case INT64 -> storage.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
        };
    }

    /** Every byte of the storage, guards and row padding included: what a digest of a call's output covers. */
    byte[] bytes() {
        return storage.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Fails if a byte outside the view's elements (guards, row padding) changed. */
    void assertGuardsUntouched(String what) {
        long size = type.byteSize();
        long viewStart = GUARD * size;
        for (long b = 0; b < storage.byteSize(); b++) {
            long e = b / size - GUARD;
            boolean inside = b >= viewStart && e < rows * stride && e % stride < columns && e / stride < rows;
            if (!inside) {
                assertEquals(GUARD_BYTE, storage.get(ValueLayout.JAVA_BYTE, b), what + ": byte " + b
                        + " outside the view was written");
            }
        }
    }

    /** {@code v} rounded to {@code type} and widened back (what a view of that type can hold). */
    static float representable(float v, ElementType type) {
        return switch (type) {
            case BFLOAT16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(v));
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            default -> v;
        };
    }

    private record Storage(MemorySegment bytes, TensorView whole) {}

    private static Storage allocate(long count, ElementType type, Kind kind, Arena arena) {
        int size = type.byteSize();
        MemorySegment bytes;
        TensorView whole;
        switch (kind) {
            case HEAP_ARRAY -> {
                int n = Math.toIntExact(count);
                switch (type) {
                    case FLOAT32 -> { float[] a = new float[n]; bytes = MemorySegment.ofArray(a); whole = TensorView.of(a); }
                    case FLOAT64 -> { double[] a = new double[n]; bytes = MemorySegment.ofArray(a); whole = TensorView.of(a); }
                    case INT32 -> { int[] a = new int[n]; bytes = MemorySegment.ofArray(a); whole = TensorView.of(a); }
                    case INT64 -> { long[] a = new long[n]; bytes = MemorySegment.ofArray(a); whole = TensorView.of(a); }
                    default -> { short[] a = new short[n]; bytes = MemorySegment.ofArray(a); whole = TensorView.of(a, type); }
                }
            }
            case HEAP_SEGMENT -> {
                // a byte[] at an odd offset: no alignment at all
                bytes = MemorySegment.ofArray(new byte[Math.toIntExact(count * size + 1)]).asSlice(1);
                whole = TensorView.of(bytes, type);
            }
            default -> {
                bytes = arena.allocate(count * size, size);
                whole = TensorView.of(bytes, type);
            }
        }
        bytes.fill(GUARD_BYTE);
        return new Storage(bytes, whole);
    }

    private static void put(MemorySegment s, ElementType type, long index, double v) {
        long off = index * type.byteSize();
        switch (type) {
            case FLOAT32 -> s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off, (float) v);
            case FLOAT64 -> s.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, off, v);
            case BFLOAT16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, HalfFloats.floatToBfloat16((float) v));
            case FLOAT16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Float.floatToFloat16((float) v));
            case INT32 -> s.set(ValueLayout.JAVA_INT_UNALIGNED, off, (int) v);
            case INT64 -> s.set(ValueLayout.JAVA_LONG_UNALIGNED, off, (long) v);
        }
    }
}
