package org.xent;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A view of values a loss reads or writes: a vector of {@code length} values, or an N x C matrix of
 * {@code rows} rows of {@code columns} values whose rows start {@code rowStride} elements apart (row-major;
 * a stride wider than C skips the padding of each row). Where the values live is any of: a {@code float[]},
 * {@code double[]}, {@code short[]} (bfloat16 or float16 bit patterns), {@code int[]} or {@code long[]}, or a
 * {@link MemorySegment}, heap or native (a mapped file, an arena's allocation, a direct {@link ByteBuffer}).
 * Making a view copies nothing; offsets and sizes are {@code long}, so a view can exceed 2^31 elements.
 *
 * <p>A view checks itself when it is made: non-negative sizes, a row stride of at least the column count,
 * and every element inside the storage, without overflow. <b>Alignment:</b> a heap segment of any kind is
 * accepted (a segment over a {@code byte[]} included), at any element offset; a native segment's address must be
 * a multiple of the element size (what every allocator, mapping and direct buffer gives), because a misaligned
 * native address almost always comes from a byte count used as an element count. Values are little- or
 * big-endian as the platform is ({@link java.nio.ByteOrder#nativeOrder()}).
 *
 * <p>Views are immutable and thread-safe (the values they show are not). The losses check each view against
 * their own needs (shape, element type, writable output, no overlap) on every call.
 *
 * <pre>{@code
 * // bfloat16 logits in a native buffer with rows padded to 32768, float32 soft targets on the heap
 * TensorView logits = TensorView.of(segment, ElementType.BFLOAT16).matrix(0, rows, 32000, 32768);
 * TensorView targets = TensorView.of(targetArray).matrix(rows, 32000);
 * }</pre>
 */
public final class TensorView {

    private final MemorySegment segment;
    private final Object array; // the heap array behind the segment when of the view's type, or null
    private final long arrayBase; // index in that array of the storage's element 0
    private final Object heapBase; // the heap object behind the segment (any kind), or null when native
    private final ElementType type;
    private final long offset;  // in elements, from the start of the storage
    private final long rows;
    private final long columns;
    private final long rowStride;
    private final boolean matrix;

    private TensorView(MemorySegment segment, Object array, long arrayBase, Object heapBase, ElementType type,
                       long offset, long rows, long columns, long rowStride, boolean matrix) {
        this.segment = segment;
        this.array = array;
        this.arrayBase = arrayBase;
        this.heapBase = heapBase;
        this.type = type;
        this.offset = offset;
        this.rows = rows;
        this.columns = columns;
        this.rowStride = rowStride;
        this.matrix = matrix;
    }

    // ------------------------------------------------------------------ whole storage, as a vector

    /**
     * All of {@code values}, float32.
     *
     * @param values the float32 values (not copied)
     * @return a vector view of all the values, from element 0
     */
    public static TensorView of(float[] values) {
        return whole(MemorySegment.ofArray(requireArray(values)), values, ElementType.FLOAT32);
    }

    /**
     * All of {@code values}, float64.
     *
     * @param values the float64 values (not copied)
     * @return a vector view of all the values, from element 0
     */
    public static TensorView of(double[] values) {
        return whole(MemorySegment.ofArray(requireArray(values)), values, ElementType.FLOAT64);
    }

    /**
     * All of {@code values}, int32 (class indices).
     *
     * @param values the int32 values (not copied)
     * @return a vector view of all the values, from element 0
     */
    public static TensorView of(int[] values) {
        return whole(MemorySegment.ofArray(requireArray(values)), values, ElementType.INT32);
    }

    /**
     * All of {@code values}, int64 (class indices).
     *
     * @param values the int64 values (not copied)
     * @return a vector view of all the values, from element 0
     */
    public static TensorView of(long[] values) {
        return whole(MemorySegment.ofArray(requireArray(values)), values, ElementType.INT64);
    }

    /**
     * All of {@code bits}, as 16-bit patterns of {@code type} ({@link ElementType#BFLOAT16} or
     * {@link ElementType#FLOAT16}).
     *
     * @param bits the 16-bit patterns (not copied)
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @return a vector view of all the values, from element 0
     * @throws InvalidArgumentException if {@code bits} is null or {@code type} is another type
     */
    public static TensorView of(short[] bits, ElementType type) {
        requireArray(bits);
        if (type != ElementType.BFLOAT16 && type != ElementType.FLOAT16) {
            throw new InvalidArgumentException("type", "type must be BFLOAT16 or FLOAT16 for a short[] of bit patterns, got " + type);
        }
        return whole(MemorySegment.ofArray(bits), bits, type);
    }

    /**
     * All of {@code segment} (its size rounded down to whole elements) as values of {@code type}. A heap
     * segment over an array of that very type (for example {@code MemorySegment.ofArray(float[])} with
     * {@link ElementType#FLOAT32}) is as fast as the array itself.
     *
     * @param segment the storage, heap or native (not copied)
     * @param type    the element type of its values
     * @return a vector view of all the values, from element 0
     * @throws InvalidArgumentException if an argument is null, or a native segment's address is not a multiple of the
     *                                  element size
     */
    public static TensorView of(MemorySegment segment, ElementType type) {
        if (segment == null) {
            throw new InvalidArgumentException("segment", "segment must not be null");
        }
        if (type == null) {
            throw new InvalidArgumentException("type", "type must not be null");
        }
        if (segment.isNative() && segment.address() % type.byteSize() != 0) {
            throw new InvalidArgumentException("segment", "a native segment must be aligned to its element size: address 0x"
                    + Long.toHexString(segment.address()) + " is not a multiple of " + type.byteSize() + " (" + type
                    + ")");
        }
        return whole(segment, segment.heapBase().orElse(null), type);
    }

    /**
     * All of the direct {@code buffer}'s remaining bytes (from its position), without copying.
     *
     * @param buffer a direct buffer (not copied)
     * @param type   the element type of its values
     * @return a vector view of the remaining values, from the buffer's position
     * @throws InvalidArgumentException if an argument is null, or the buffer's address is not a multiple of the element
     *                                  size
     */
    public static TensorView of(ByteBuffer buffer, ElementType type) {
        if (buffer == null) {
            throw new InvalidArgumentException("buffer", "buffer must not be null");
        }
        return of(MemorySegment.ofBuffer(buffer), type);
    }

    private static TensorView whole(MemorySegment segment, Object heapBase, ElementType type) {
        long length = segment.byteSize() / type.byteSize();
        // for a heap segment, address() is the byte offset of the segment in its array
        boolean direct = sameKind(heapBase, type) && segment.address() % type.byteSize() == 0;
        Object array = direct ? heapBase : null;
        long arrayBase = direct ? segment.address() / type.byteSize() : 0;
        return new TensorView(segment, array, arrayBase, heapBase, type, 0, length, 1, 1, false);
    }

    // ------------------------------------------------------------------ views of the same storage

    /**
     * The first {@code rows * columns} elements of this view's storage as a contiguous N x C matrix.
     *
     * @param rows    the number of rows N
     * @param columns the number of columns C
     * @return the matrix view
     * @throws InvalidArgumentException on a negative size, or a matrix past the end of the storage
     */
    public TensorView matrix(long rows, long columns) {
        return matrix(0, rows, columns, columns);
    }

    /**
     * An N x C matrix of this view's storage: row n starts at element {@code offset + n * rowStride} of the
     * storage, counted in elements of this view's type.
     *
     * @param offset    index, in elements of the storage, of the first row's first value
     * @param rows      the number of rows N
     * @param columns   the number of columns C
     * @param rowStride elements between the starts of consecutive rows, at least {@code columns}
     * @return the matrix view
     * @throws InvalidArgumentException on a negative offset or size, a row stride below {@code columns}, or a matrix
     *                                  past the end of the storage
     */
    public TensorView matrix(long offset, long rows, long columns, long rowStride) {
        nonNegative("offset", offset);
        nonNegative("rows", rows);
        nonNegative("columns", columns);
        if (rowStride < columns) {
            throw new InvalidArgumentException("rowStride",
                    "rowStride must be at least columns (" + columns + "), got " + rowStride);
        }
        long extent;
        try {
            extent = rows == 0 ? 0 : Math.addExact(Math.multiplyExact(rows - 1, rowStride), columns);
            checkExtent(Math.addExact(offset, extent), offset, rows + " x " + columns + " (rowStride " + rowStride
                    + ")");
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("rows", "rows " + rows + " x rowStride " + rowStride
                    + " overflows a long");
        }
        return new TensorView(segment, array, arrayBase, heapBase, type, offset, rows, columns, rowStride, true);
    }

    /**
     * A vector of {@code length} contiguous elements of this view's storage, from element {@code offset}.
     *
     * @param offset index, in elements of the storage, of the first value
     * @param length the number of values
     * @return the vector view
     * @throws InvalidArgumentException on a negative offset or length, or a vector past the end of the storage
     */
    public TensorView vector(long offset, long length) {
        nonNegative("offset", offset);
        nonNegative("length", length);
        try {
            checkExtent(Math.addExact(offset, length), offset, length + " elements");
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("length", "offset " + offset + " + length " + length
                    + " overflows a long");
        }
        return new TensorView(segment, array, arrayBase, heapBase, type, offset, length, 1, 1, false);
    }

    /**
     * Rows {@code [first, first + count)} of this matrix, or elements of this vector (for micro-batches).
     *
     * @param first the first row (or element) of this view to keep
     * @param count how many to keep
     * @return a view of the same storage, of the same kind (matrix or vector)
     * @throws InvalidArgumentException on a negative argument, or rows past the last of this view
     */
    public TensorView rows(long first, long count) {
        nonNegative("first", first);
        nonNegative("count", count);
        if (first + count > rows || first + count < 0) {
            throw new InvalidArgumentException("count", "count: rows [" + first + ", " + (first + count) + ") exceed the "
                    + rows + " rows of the view");
        }
        return new TensorView(segment, array, arrayBase, heapBase, type, offset + first * rowStride, count, columns, rowStride, matrix);
    }

    private void checkExtent(long end, long offset, String what) {
        long capacity = capacity();
        if (end > capacity) {
            throw new InvalidArgumentException("offset", "offset " + offset + " + " + what + " is past the end of a "
                    + "storage of " + capacity + " " + type + " elements");
        }
    }

    private long capacity() {
        return segment.byteSize() / type.byteSize();
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new InvalidArgumentException(name, name + " must be >= 0, got " + value);
        }
    }

    // ------------------------------------------------------------------ accessors

    /**
     * The element type.
     *
     * @return how one value is stored
     */
    public ElementType elementType() {
        return type;
    }

    /**
     * True for an N x C matrix (made by {@link #matrix}), false for a vector.
     *
     * @return true for a matrix, false for a vector
     */
    public boolean isMatrix() {
        return matrix;
    }

    /**
     * Rows of a matrix, or the length of a vector.
     *
     * @return N for a matrix, the length for a vector
     */
    public long rows() {
        return rows;
    }

    /**
     * Columns of a matrix (1 for a vector).
     *
     * @return C for a matrix, 1 for a vector
     */
    public long columns() {
        return columns;
    }

    /**
     * Elements between the starts of consecutive rows (1 for a vector).
     *
     * @return the row stride in elements, at least {@link #columns()} for a matrix
     */
    public long rowStride() {
        return rowStride;
    }

    /**
     * Number of values the view shows: {@code rows * columns}.
     *
     * @return the number of values, padding not included
     */
    public long size() {
        return rows * columns;
    }

    /**
     * Index, in elements of the storage, of the first value.
     *
     * @return the offset in elements from the start of {@link #segment()}
     */
    public long offset() {
        return offset;
    }

    /**
     * The storage as a segment (for an array, the segment over the whole array).
     *
     * @return the segment the view shows values of
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * True when rows follow each other without padding.
     *
     * @return true when rows are not padded (or there is at most one row)
     */
    public boolean isContiguous() {
        return rowStride == columns || rows <= 1;
    }

    /** The heap array behind the view when it is an array of the view's own type, else null (kernels' fast path). */
    Object array() {
        return array;
    }

    /** Index in {@link #array()} of the view's first value (meaningful when the array is not null). */
    long arrayIndex() {
        return arrayBase + offset;
    }

    /** Byte offset, within {@link #segment()}, of element {@code index} of the view (0 is the first value). */
    long byteOffset(long index) {
        return (offset + index) * type.byteSize();
    }

    /** Byte offset, within {@link #segment()}, of the first value of row {@code row}. */
    long rowByteOffset(long row) {
        return (offset + row * rowStride) * type.byteSize();
    }

    /** Elements from the first value to one past the last, padding included. */
    long extent() {
        return rows == 0 ? 0 : (rows - 1) * rowStride + columns;
    }

    /** True when some byte of this view's span lies in that of {@code other} (same storage only). */
    boolean overlaps(TensorView other) {
        if (heapBase != other.heapBase || size() == 0 || other.size() == 0) {
            return false; // different heap objects, or heap against native: disjoint
        }
        long a0 = spanStart();
        long a1 = a0 + extent() * type.byteSize();
        long b0 = other.spanStart();
        long b1 = b0 + other.extent() * other.type.byteSize();
        return a0 < b1 && b0 < a1;
    }

    /** True when both views show the same values of the same storage in the same layout (in place). */
    boolean sameRegion(TensorView other) {
        return heapBase == other.heapBase && spanStart() == other.spanStart() && type == other.type
                && rows == other.rows && columns == other.columns && (rows <= 1 || rowStride == other.rowStride);
    }

    /** Address (native) or offset in the heap object (heap) of the first value. */
    private long spanStart() {
        return segment.address() + offset * type.byteSize();
    }

    @Override
    public String toString() {
        return (matrix ? rows + " x " + columns + (rowStride != columns ? " (rowStride " + rowStride + ")" : "")
                : rows + "") + " " + type + " from element " + offset + " of " + (array != null
                ? array.getClass().getSimpleName() : segment.isNative() ? "native memory" : "a heap segment");
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T requireArray(T array) {
        if (array == null) {
            throw new InvalidArgumentException("values", "values must not be null");
        }
        return array;
    }

    private static boolean sameKind(Object base, ElementType type) {
        return switch (type) {
            case FLOAT32 -> base instanceof float[];
            case FLOAT64 -> base instanceof double[];
            case BFLOAT16, FLOAT16 -> base instanceof short[];
            case INT32 -> base instanceof int[];
            case INT64 -> base instanceof long[];
        };
    }
}
