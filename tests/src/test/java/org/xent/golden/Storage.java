package org.xent.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.ElementType;
import org.xent.TensorView;
import org.xent.internal.HalfFloats;

/**
 * Where a golden test puts a case's arrays before handing them to a loss as {@link TensorView}s: Java arrays,
 * native memory, or Java arrays whose rows are padded (a row stride wider than C, and an offset before the first
 * row). Every element a view does not show holds a guard value, which {@link Region#assertGuardsIntact} checks was
 * left alone; the guard of an input is a NaN, so reading it would also show in the results.
 */
enum Storage {
    /** {@code short[]}, {@code float[]}, {@code long[]} arrays, rows contiguous. */
    HEAP,
    /** {@code Arena.ofConfined()} segments, the bits copied in, rows contiguous. */
    NATIVE,
    /** Arrays with {@link #OFFSET} guard elements first, rows {@link #PAD} elements apart more than C, guards after. */
    PADDED;

    static final int OFFSET = 3;
    static final int PAD = 5;

    /** Guards: NaNs with a payload the losses never produce (16-bit ones per type, and float32). */
    private static final short GUARD_F16 = 0x7E5A;
    private static final short GUARD_BF16 = 0x7FDA;
    private static final int GUARD_F32 = 0x7FA5A5A5;
    private static final long GUARD_I64 = Long.MIN_VALUE + 0x5A5A;

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** One view and the storage around it. */
    static final class Region {
        final TensorView view;
        private final MemorySegment segment;
        private final ElementType type;
        private final long offset;
        private final long rows;
        private final long columns;
        private final long stride;

        private Region(TensorView view, MemorySegment segment, ElementType type, long offset, long rows, long columns,
                       long stride) {
            this.view = view;
            this.segment = segment;
            this.type = type;
            this.offset = offset;
            this.rows = rows;
            this.columns = columns;
            this.stride = stride;
        }

        /** The values the view shows, row-major, widened exactly to double. */
        double[] values() {
            double[] out = new double[Math.toIntExact(rows * columns)];
            for (long r = 0; r < rows; r++) {
                for (long c = 0; c < columns; c++) {
                    long at = offset + r * stride + c;
                    out[(int) (r * columns + c)] = switch (type) {
                        case FLOAT32 -> Float.intBitsToFloat(segment.getAtIndex(I32, at));
                        case BFLOAT16 -> HalfFloats.bfloat16ToFloat(segment.getAtIndex(I16, at));
                        case FLOAT16 -> Float.float16ToFloat(segment.getAtIndex(I16, at));
                        default -> throw new IllegalStateException(type.toString());
                    };
                }
            }
            return out;
        }

        /** The 16-bit patterns the view shows, row-major. */
        short[] bits() {
            short[] out = new short[Math.toIntExact(rows * columns)];
            for (long r = 0; r < rows; r++) {
                MemorySegment.copy(segment, I16, 2 * (offset + r * stride), out, (int) (r * columns), (int) columns);
            }
            return out;
        }

        /** Fails unless every element outside the view still holds the guard. */
        void assertGuardsIntact(String what) {
            long elements = segment.byteSize() / type.byteSize();
            for (long i = 0; i < elements; i++) {
                long rel = i - offset;
                boolean shown = rel >= 0 && rel / stride < rows && rel % stride < columns;
                if (!shown && !isGuard(i)) {
                    fail(what + ": element " + i + " outside the " + view + " was changed");
                }
            }
        }

        private boolean isGuard(long i) {
            return switch (type) {
                case FLOAT32 -> segment.getAtIndex(I32, i) == GUARD_F32;
                case BFLOAT16 -> segment.getAtIndex(I16, i) == GUARD_BF16;
                case FLOAT16 -> segment.getAtIndex(I16, i) == GUARD_F16;
                case INT64 -> segment.getAtIndex(I64, i) == GUARD_I64;
                default -> throw new IllegalStateException(type.toString());
            };
        }
    }

    /** An N x C matrix holding {@code bits} of the 16-bit {@code type}. */
    Region matrix(short[] bits, ElementType type, int rows, int columns, Arena arena) {
        Region r = matrix(type, rows, columns, arena);
        for (int row = 0; row < rows; row++) {
            MemorySegment.copy(bits, row * columns, r.segment, I16, 2 * (r.offset + (long) row * r.stride), columns);
        }
        return r;
    }

    /** A writable N x C matrix of {@code type} (float32 or 16-bit), guards everywhere until a loss writes it. */
    Region matrix(ElementType type, int rows, int columns, Arena arena) {
        long offset = this == PADDED ? OFFSET : 0;
        long stride = this == PADDED ? columns + PAD : columns;
        long elements = offset + rows * stride + (this == PADDED ? PAD : 0);
        MemorySegment s = allocate(type, elements, arena);
        TensorView base = this == NATIVE ? TensorView.of(s, type) : heapView(s, type);
        return new Region(base.matrix(offset, rows, columns, stride), s, type, offset, rows, columns, stride);
    }

    /** A writable vector of {@code length} values of {@code type}, guards around it in {@link #PADDED}. */
    Region vector(ElementType type, int length, Arena arena) {
        long offset = this == PADDED ? OFFSET : 0;
        MemorySegment s = allocate(type, offset + length + (this == PADDED ? PAD : 0), arena);
        TensorView base = this == NATIVE ? TensorView.of(s, type) : heapView(s, type);
        return new Region(base.vector(offset, length), s, type, offset, length, 1, 1);
    }

    /** The int64 class indices as a vector. */
    Region indices(long[] indices, Arena arena) {
        Region r = vector(ElementType.INT64, indices.length, arena);
        MemorySegment.copy(indices, 0, r.segment, I64, 8 * r.offset, indices.length);
        return r;
    }

    /** Storage of {@code elements} values of {@code type}, every one a guard: a Java array, or native memory. */
    private MemorySegment allocate(ElementType type, long elements, Arena arena) {
        int n = Math.toIntExact(elements);
        MemorySegment s = switch (this) {
            case NATIVE -> arena.allocate(Math.max(1, elements) * type.byteSize(), type.byteSize())
                    .asSlice(0, elements * type.byteSize());
            case HEAP, PADDED -> switch (type) {
                case FLOAT32 -> MemorySegment.ofArray(new float[n]);
                case BFLOAT16, FLOAT16 -> MemorySegment.ofArray(new short[n]);
                case INT64 -> MemorySegment.ofArray(new long[n]);
                default -> throw new IllegalStateException(type.toString());
            };
        };
        for (long i = 0; i < elements; i++) {
            switch (type) {
                case FLOAT32 -> s.setAtIndex(I32, i, GUARD_F32);
                case BFLOAT16 -> s.setAtIndex(I16, i, GUARD_BF16);
                case FLOAT16 -> s.setAtIndex(I16, i, GUARD_F16);
                case INT64 -> s.setAtIndex(I64, i, GUARD_I64);
                default -> throw new IllegalStateException(type.toString());
            }
        }
        return s;
    }

    /** The view of the Java array behind {@code s} through the array factory the API documents for it. */
    private static TensorView heapView(MemorySegment s, ElementType type) {
        Object array = s.heapBase().orElseThrow();
        return switch (array) {
            case float[] f -> TensorView.of(f);
            case short[] h -> TensorView.of(h, type);
            case long[] l -> TensorView.of(l);
            default -> throw new IllegalStateException(array.getClass().toString());
        };
    }
}
