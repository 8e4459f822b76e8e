package org.xent.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>Reads format versions 1.0, 2.0 and 3.0; dtypes float32, float64, int32 and int64, little- or big-endian;
 * C order (and Fortran order where it is the same layout: at most one dimension longer than 1). Anything else
 * (Fortran order of a true matrix, object or structured arrays, other dtypes, a file shorter or
 * longer than its header says) is an {@link NpyFormatException} with a message that says what was found.
 * Writes format 1.0, little-endian, C order, through a temporary file moved into place, so that a failed
 * write leaves no partial file behind.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Thrown for a file that is not a readable {@code .npy} array of a supported kind. */
    public static final class NpyFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * A format error.
         *
         * @param message what was found, starting with the file's name
         */
        public NpyFormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads a {@code .npy} file.
     *
     * @param file the file
     * @return the array it holds, in the dtype of the file
     * @throws NpyFormatException if the file is not a {@code .npy} array of a supported kind
     * @throws IOException if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses the bytes of a {@code .npy} file.
     *
     * @param bytes the whole file
     * @param name what to call the file in error messages, e.g. its path
     * @return the array the bytes hold
     * @throws NpyFormatException if the bytes are not a {@code .npy} array of a supported kind
     */
    public static NpyArray parse(byte[] bytes, String name) throws NpyFormatException {
        if (bytes.length < 10) {
            throw new NpyFormatException(name + ": not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy file (bad magic string)");
            }
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
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
            if (bytes.length < 12) {
                throw new NpyFormatException(name + ": truncated header");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new NpyFormatException(name + ": truncated header");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int dataStart = (int) (headerStart + headerLength);

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
            default -> throw new NpyFormatException(name + ": unsupported dtype '" + code
                    + "' (supported: float32, float64, int32, int64)");
        }
        NpyArray.DType dtype = null;
        for (NpyArray.DType t : NpyArray.DType.values()) {
            if (t.code.equals(code.substring(1))) {
                dtype = t;
            }
        }
        if (dtype == null) {
            throw new NpyFormatException(name + ": unsupported dtype '" + code
                    + "' (supported: float32, float64, int32, int64)");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new NpyFormatException(name + ": array too large for Java arrays");
            }
        }
        long expectedBytes = count * dtype.bytes;
        long actualBytes = bytes.length - dataStart;
        if (actualBytes != expectedBytes) {
            throw new NpyFormatException(name + ": data holds " + actualBytes + " bytes but shape "
                    + java.util.Arrays.toString(shape) + " of " + dtype.numpyName() + " needs " + expectedBytes);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expectedBytes).slice().order(order);
        int n = (int) count;
        return switch (dtype) {
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
        };
    }

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

    /**
     * Encodes an array as a {@code .npy} file.
     *
     * @param array the array
     * @return the bytes of a format 1.0, little-endian, C-order {@code .npy} file holding {@code array}
     * @throws IllegalArgumentException if the file would be too large for one Java byte array
     */
    public static byte[] toBytes(NpyArray array) {
        StringBuilder shape = new StringBuilder("(");
        int[] dims = array.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]).append(dims.length == 1 ? "," : (i + 1 < dims.length ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '<" + array.dtype().code + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Pad with spaces so that the data starts on a 64-byte boundary, ending with a newline.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        int n = array.size();
        long total = 10L + header.length() + (long) n * array.dtype().bytes;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array too large for one .npy byte buffer: " + array);
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (array.dtype()) {
            case FLOAT32 -> data.asFloatBuffer().put(array.toFloats());
            case FLOAT64 -> data.asDoubleBuffer().put(array.toDoubles());
            case INT32 -> data.asIntBuffer().put(array.toInts());
            case INT64 -> data.asLongBuffer().put(array.toLongs());
        }
        return out.array();
    }

    /**
     * Writes {@code array} to {@code file} atomically: a temporary file in the same folder, then a move, so a
     * failure leaves neither a partial file nor a changed one. The file gets the permissions of any newly created
     * file (the umask), not the owner-only ones of {@link Files#createTempFile}.
     *
     * @param file the file to create or replace
     * @param array the array
     * @throws IOException if the file cannot be written; it is then left as it was
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
     * @param file the file the temporary one will replace
     * @param bytes the contents, e.g. from {@link #toBytes}
     * @return the temporary file
     * @throws IOException if {@code file} is a directory or the temporary file cannot be written
     */
    public static Path writeTemporary(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException(file + ": is a directory");
        }
        Path dir = target.getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
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
     * Renames a file written by {@link #writeTemporary} to {@code file}, atomically where the file system can.
     *
     * @param tmp the temporary file
     * @param file the file to create or replace
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
