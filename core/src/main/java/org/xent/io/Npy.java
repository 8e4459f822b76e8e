package org.xent.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files, so that tensors dumped from PyTorch or NumPy can be fed to xent
 * and its results read back.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0; dtypes float16, float32, float64, int16, uint16 (how bfloat16 bit
 * patterns are saved), int32 and int64, little- or big-endian;
 * C order (and Fortran order where it is the same layout: at most one dimension longer than 1). Anything else
 * (Fortran order of a true matrix, object or structured arrays, other dtypes, a file shorter or
 * longer than its header says) is an {@link NpyFormatException} with a message that says what was found.
 * Writes format 1.0, little-endian, C order, through a temporary file moved into place, so that a failed
 * write leaves no partial file behind. Files above 2 GiB are mapped ({@link #map}) instead of read, and
 * {@link #create} makes an output file of any size to be written through a mapping.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Thrown for a file that is not a readable {@code .npy} array of a supported kind. */
    public static final class NpyFormatException extends IOException {
        /**
         * An exception about a file that cannot be read.
         *
         * @param message what is wrong, starting with the file's name
         */
        public NpyFormatException(String message) {
            super(message);
        }
    }

    /** Files larger than this are mapped rather than read into a Java array (which cannot hold 2 GiB). */
    public static final long MAP_ABOVE_BYTES = Integer.MAX_VALUE - 64;

    /**
     * Reads {@code file}: into a Java array, or, for a file above {@link #MAP_ABOVE_BYTES} (a smaller limit can
     * be set in bytes with {@code -Dxent.io.mapAbove}, for tests), mapped read-only with {@link #map} in an
     * automatic arena (unmapped when the array is no longer reachable).
     *
     * @param file the {@code .npy} file
     * @return the array
     * @throws IOException if the file cannot be read, or is not a {@code .npy} array of a supported kind
     *                     ({@link NpyFormatException})
     */
    public static NpyArray read(Path file) throws IOException {
        long limit = Long.getLong("xent.io.mapAbove", MAP_ABOVE_BYTES);
        if (Files.size(file) > Math.min(limit, MAP_ABOVE_BYTES)) {
            return map(file, Arena.ofAuto());
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses the bytes of a {@code .npy} file; {@code name} is used in error messages.
     *
     * @param bytes the whole file
     * @param name  what to call the file in error messages
     * @return the array, in Java arrays (copied from {@code bytes})
     * @throws NpyFormatException if the file is not a {@code .npy} array of a supported kind
     */
    public static NpyArray parse(byte[] bytes, String name) throws NpyFormatException {
        Header h = header(ByteBuffer.wrap(bytes), bytes.length, name);
        if (h.count > Integer.MAX_VALUE) {
            throw new NpyFormatException(name + ": array too large for Java arrays");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) h.dataStart, (int) (h.count * h.dtype.bytes)).slice()
                .order(h.order);
        int n = (int) h.count;
        int[] shape = h.shape;
        return switch (h.dtype) {
            case FLOAT32 -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                yield NpyArray.of(v, shape);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                yield NpyArray.of(v, shape);
            }
            case INT32 -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                yield NpyArray.of(v, shape);
            }
            case INT64 -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                yield NpyArray.of(v, shape);
            }
            case FLOAT16, UINT16, INT16 -> {
                short[] v = new short[n];
                data.asShortBuffer().get(v);
                yield NpyArray.of(v, h.dtype, shape);
            }
        };
    }

    /**
     * Maps the data of {@code file} read-only into {@code arena}, without reading it: an array of any size (more
     * than 2^31 values included) whose {@link NpyArray#view()} the losses read in place. The file must be in the
     * platform's byte order (little-endian, as NumPy writes it on x86 and ARM) with its data at a multiple of
     * the element size (NumPy pads the header to 64 bytes). The array is valid while the arena is open.
     *
     * @param file  the {@code .npy} file
     * @param arena the arena that owns the mapping
     * @return the array, its values in the mapped segment
     * @throws IOException if the file cannot be read or mapped, or is not a {@code .npy} array of a supported kind in
     *                     the platform's byte order ({@link NpyFormatException})
     */
    public static NpyArray map(Path file, Arena arena) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, 12));
            readFully(ch, prefix, 0);
            long headerEnd = prefix.limit() < 10 ? prefix.limit() : dataStart(prefix.flip(), name);
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, Math.max(headerEnd, prefix.limit())));
            readFully(ch, head, 0);
            Header h = header(head.flip(), size, name);
            if (h.order != ByteOrder.nativeOrder() && h.dtype.bytes > 1) {
                throw new NpyFormatException(name + ": a " + h.order + " file cannot be mapped on this "
                        + ByteOrder.nativeOrder() + " machine (convert it, e.g. numpy.save(f, a.astype(a.dtype.newbyteorder('=')))");
            }
            if (h.dataStart % h.dtype.bytes != 0) {
                throw new NpyFormatException(name + ": data starts at byte " + h.dataStart
                        + ", not a multiple of the element size " + h.dtype.bytes + "; it cannot be mapped");
            }
            long bytes = h.count * h.dtype.bytes;
            MemorySegment data = bytes == 0 ? arena.allocate(0, h.dtype.bytes)
                    : ch.map(FileChannel.MapMode.READ_ONLY, h.dataStart, bytes, arena);
            return NpyArray.of(data, h.dtype, h.shape);
        }
    }

    /**
     * Creates {@code file} (which must not exist) as a little-endian {@code .npy} file of {@code dtype} and
     * {@code shape} and maps its data read-write into {@code arena}: what is written through the returned array
     * ({@link NpyArray#view()}, {@link NpyArray#segment()}) is the file's content, so an output of any size
     * needs no Java array. The values start as zeros; call {@code segment().force()} or close the arena to be
     * sure they reach the file.
     *
     * @param file  the {@code .npy} file to create
     * @param dtype the dtype of the values
     * @param arena the arena that owns the mapping
     * @param shape the dimensions, in C order
     * @return the array, its values in the mapped segment
     * @throws IOException if the file exists or cannot be created or mapped, or on a big-endian machine
     */
    public static NpyArray create(Path file, NpyArray.DType dtype, Arena arena, int... shape) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException(file + ": mapped .npy output needs a little-endian machine");
        }
        long count = 1;
        for (int d : shape) {
            count = Math.multiplyExact(count, (long) d);
        }
        byte[] header = headerBytes(dtype, shape);
        long bytes = count * dtype.bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(header), 0);
            MemorySegment data = bytes == 0 ? arena.allocate(0, dtype.bytes)
                    : ch.map(FileChannel.MapMode.READ_WRITE, header.length, bytes, arena); // grows the file
            return NpyArray.of(data, dtype, shape);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            if (ch.read(dst, position + dst.position()) < 0) {
                break;
            }
        }
    }

    /** What a header says: the dtype, byte order, shape, and where the values start. */
    private record Header(NpyArray.DType dtype, ByteOrder order, int[] shape, long dataStart, long count) {}

    /** The offset of the data: the header's length field read from the first 10 or 12 bytes of {@code b}. */
    private static long dataStart(ByteBuffer b, String name) throws NpyFormatException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy file (bad magic string)");
            }
        }
        int major = b.get(6) & 0xff;
        b.order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            return 10L + (b.getShort(8) & 0xffff);
        }
        if ((major == 2 || major == 3) && b.limit() >= 12) {
            long length = b.getInt(8) & 0xffffffffL;
            if (length > 1 << 24) {
                throw new NpyFormatException(name + ": header of " + length + " bytes is not a simple array description");
            }
            return 12L + length;
        }
        return b.limit(); // let header() report the version or the truncation
    }

    /**
     * Parses the header at the start of {@code buf} (which holds at least the whole header) of a file of
     * {@code fileSize} bytes, checking that the data that follows has exactly the size the header implies.
     */
    private static Header header(ByteBuffer buf, long fileSize, String name) throws NpyFormatException {
        if (fileSize < 10 || buf.limit() < 10) {
            throw new NpyFormatException(name + ": not a .npy file (only " + fileSize + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (buf.get(i) != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy file (bad magic string)");
            }
        }
        int major = buf.get(6) & 0xff;
        int minor = buf.get(7) & 0xff;
        buf.order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (minor != 0) {
            throw new NpyFormatException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (buf.limit() < 12) {
                throw new NpyFormatException(name + ": truncated header");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerStart + headerLength > buf.limit()) {
            throw new NpyFormatException(name + ": truncated header");
        }
        byte[] text = new byte[(int) headerLength];
        buf.get(headerStart, text);
        String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long dataStart = headerStart + headerLength;

        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new NpyFormatException(name + ": header is not a simple array description: " + header.trim());
        }
        int[] shape = parseShape(shapeMatch.group(1), name);
        if (fortran.group(1).equals("True") && !sameInBothOrders(shape)) {
            throw new NpyFormatException(name + ": Fortran-order arrays are not supported (save with C order,"
                    + " e.g. numpy.save(f, numpy.ascontiguousarray(a)))");
        }
        String code = descr.group(1);
        ByteOrder order;
        switch (code.isEmpty() ? '?' : code.charAt(0)) {
            case '<' -> order = ByteOrder.LITTLE_ENDIAN;
            case '>' -> order = ByteOrder.BIG_ENDIAN;
            case '=' -> order = ByteOrder.nativeOrder();
            default -> throw new NpyFormatException(name + ": unsupported dtype '" + code + "' (supported: "
                    + SUPPORTED + ")");
        }
        NpyArray.DType dtype = null;
        for (NpyArray.DType t : NpyArray.DType.values()) {
            if (t.code.equals(code.substring(1))) {
                dtype = t;
            }
        }
        if (dtype == null) {
            throw new NpyFormatException(name + ": unsupported dtype '" + code + "' (supported: " + SUPPORTED + ")");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Long.MAX_VALUE / 8) {
                throw new NpyFormatException(name + ": shape " + java.util.Arrays.toString(shape) + " is too large");
            }
        }
        long expectedBytes = count * dtype.bytes;
        long actualBytes = fileSize - dataStart;
        if (actualBytes != expectedBytes) {
            throw new NpyFormatException(name + ": data holds " + actualBytes + " bytes but shape "
                    + java.util.Arrays.toString(shape) + " of " + dtype.numpyName() + " needs " + expectedBytes);
        }
        return new Header(dtype, order, shape, dataStart, count);
    }

    private static final String SUPPORTED = "float16, float32, float64, int16, uint16, int32, int64";

    /** Whether C and Fortran order lay the values out identically: at most one dimension longer than 1. */
    private static boolean sameInBothOrders(int[] shape) {
        int longer = 0;
        for (int d : shape) {
            if (d > 1) {
                longer++;
            }
        }
        return longer <= 1;
    }

    private static int[] parseShape(String text, String name) throws NpyFormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new NpyFormatException(name + ": bad dimension " + p + " in shape (" + text + ")");
                }
                dims.add((int) d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(name + ": bad shape (" + text + ")");
            }
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    /** The header of a format 1.0, little-endian, C-order file of that dtype and shape, padded to 64 bytes. */
    private static byte[] headerBytes(NpyArray.DType dtype, int[] dims) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]).append(dims.length == 1 ? "," : (i + 1 < dims.length ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '<" + dtype.code + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Pad with spaces so that the data starts on a 64-byte boundary, ending with a newline.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    /**
     * The bytes of a format 1.0, little-endian, C-order {@code .npy} file holding {@code array}.
     *
     * @param array the array to write
     * @return header and values, ready to be written to a file
     * @throws IllegalArgumentException if they do not fit a Java array
     */
    public static byte[] toBytes(NpyArray array) {
        byte[] header = headerBytes(array.dtype(), array.shape());
        long n = array.length();
        long total = header.length + n * array.dtype().bytes;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array too large for one .npy byte buffer: " + array);
        }
        byte[] out = java.util.Arrays.copyOf(header, (int) total);
        // element by element from the platform's order to little-endian (MemorySegment.copy swaps where they differ)
        ValueLayout from = switch (array.dtype().bytes) {
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
            default -> ValueLayout.JAVA_LONG_UNALIGNED;
        };
        MemorySegment.copy(array.segment(), from, 0, MemorySegment.ofArray(out),
                from.withOrder(ByteOrder.LITTLE_ENDIAN), header.length, n);
        return out;
    }

    /**
     * Writes {@code array} to {@code file} atomically: a temporary file in the same folder, then a move, so a
     * failure leaves neither a partial file nor a changed one. The file gets the permissions of any newly created
     * file (the umask), not the owner-only ones of {@link Files#createTempFile}.
     *
     * @param file  the file to write or replace
     * @param array the array to write
     * @throws IOException if the file cannot be written; it is then as it was
     */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] bytes = toBytes(array);
        Path tmp = writeTemporary(file, bytes);
        try {
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code bytes} to a new hidden file next to {@code file} and returns it; nothing is left behind on
     * failure. With {@link #moveIntoPlace} this lets a caller stage several outputs before publishing any.
     *
     * @param file  the file the temporary file is to replace
     * @param bytes the content
     * @return the temporary file
     * @throws IOException if it cannot be written
     */
    public static Path writeTemporary(Path file, byte[] bytes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = temporaryName(file);
            OutputStream out;
            try {
                out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            try (out) {
                out.write(bytes);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
        }
    }

    /**
     * A new random hidden name next to {@code file} for a temporary file that is to replace it (nothing is
     * created: the caller creates it with CREATE_NEW, as {@link #writeTemporary} and {@link #create} do).
     *
     * @param file the file to be replaced
     * @return an absolute path in the folder of {@code file}
     * @throws IOException if {@code file} is a directory
     */
    public static Path temporaryName(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException(file + ": is a directory");
        }
        return target.getParent().resolve("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Renames a file written by {@link #writeTemporary} to {@code file}, atomically where the file system can.
     *
     * @param tmp  the temporary file
     * @param file the file it replaces
     * @throws IOException if the move fails
     */
    public static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
