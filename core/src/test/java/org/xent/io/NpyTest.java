package org.xent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The .npy reader and writer: round trips, files written elsewhere (format 2.0, big-endian), and every refusal. */
class NpyTest {

    @TempDir
    Path dir;

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {}, new int[] {1}, new int[] {5}, new int[] {3, 4}, new int[] {1, 7},
                new int[] {0}, new int[] {0, 3}, new int[] {2, 0});
    }

    static Stream<Arguments> dtypesAndShapes() {
        return Stream.of(NpyArray.DType.values())
                .flatMap(t -> shapes().map(s -> Arguments.of(t, s)));
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** An array of the dtype whose values include the awkward ones: NaN, infinities, -0.0, extremes. */
    private static NpyArray sample(NpyArray.DType dtype, int[] shape) {
        int n = size(shape);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                Double.MAX_VALUE, 1.0 / 3.0};
        long[] intSpecials = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1};
        switch (dtype) {
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < specials.length ? (float) specials[i] : i * 0.37f - 2;
                }
                return NpyArray.of(v, shape);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < specials.length ? specials[i] : i * 0.37 - 2;
                }
                return NpyArray.of(v, shape);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < 2 ? (i == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : i * 7 - 11;
                }
                return NpyArray.of(v, shape);
            }
            case FLOAT16, UINT16, INT16 -> {
                // bit patterns that include float16 NaN, infinities, -0.0 and the 0x8000 / 0xFFFF integer edges
                short[] specials16 = {0x7E00, 0x7C00, (short) 0xFC00, (short) 0x8000, 0x0001, 0x7BFF, (short) 0xFFFF};
                short[] v = new short[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < specials16.length ? specials16[i] : (short) (i * 997 - 5);
                }
                return NpyArray.of(v, dtype, shape);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < intSpecials.length ? intSpecials[i] : i * 1_000_000_007L;
                }
                return NpyArray.of(v, shape);
            }
        }
    }

    private static void assertSameArray(NpyArray expected, NpyArray actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape());
        switch (expected.dtype()) {
            case FLOAT32 -> assertArrayEquals(expected.toFloats(), actual.toFloats()); // bit-wise: NaN, -0.0
            case FLOAT64 -> assertArrayEquals(expected.toDoubles(), actual.toDoubles());
            case INT32 -> assertArrayEquals(expected.toInts(), actual.toInts());
            case INT64 -> assertArrayEquals(expected.toLongs(), actual.toLongs());
            case FLOAT16, UINT16, INT16 -> assertArrayEquals(expected.toShorts(), actual.toShorts());
        }
    }

    @ParameterizedTest
    @MethodSource("dtypesAndShapes")
    void roundTripThroughAFile(NpyArray.DType dtype, int[] shape) throws IOException {
        NpyArray a = sample(dtype, shape);
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        assertSameArray(a, Npy.read(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "the temporary file must be gone");
        }
    }

    @ParameterizedTest
    @MethodSource("dtypesAndShapes")
    void writtenHeaderIsAlignedAndEndsWithNewline(NpyArray.DType dtype, int[] shape) {
        NpyArray a = sample(dtype, shape);
        byte[] bytes = Npy.toBytes(a);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        int dataStart = 10 + headerLength;
        assertEquals(0, dataStart % 64, "data must start on a 64-byte boundary");
        assertEquals('\n', bytes[dataStart - 1]);
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        int itemSize = dtype.byteSize();
        assertEquals(dataStart + (long) size(shape) * itemSize, bytes.length);
    }

    @Test
    void headerTextIsWhatNumpyWrites() {
        // numpy.save(f, numpy.zeros((2, 3), '<f4')) and numpy.zeros((), '<i8') write these headers.
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n",
                header(Npy.toBytes(NpyArray.of(new float[6], 2, 3))));
        assertEquals("{'descr': '<i8', 'fortran_order': False, 'shape': (), }" + " ".repeat(62) + "\n",
                header(Npy.toBytes(NpyArray.of(new long[1]))));
        assertTrue(header(Npy.toBytes(NpyArray.of(new double[3], 3))).startsWith(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"));
    }

    private static String header(byte[] npy) {
        int len = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        return new String(npy, 10, len, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a .npy file: {@code header} padded to 64 bytes, then {@code data}. */
    private static byte[] npy(int major, int minor, String header, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        int padding = (64 - (prefix + header.length() + 1) % 64) % 64;
        byte[] text = (header + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) text.length);
        } else {
            len.putInt(text.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }";
    }

    private static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    private static byte[] ints(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static byte[] longs(ByteOrder order, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    @Test
    void readsFormat2And3() throws IOException {
        float[] v = {1.5f, -2f, 3.25f, 0f, 7f, -0.5f};
        NpyArray a = Npy.parse(npy(2, 0, dict("<f4", false, "(2, 3)"), floats(LE, v)), "v2.npy");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(v, a.toFloats());
        NpyArray b = Npy.parse(npy(3, 0, dict("<f8", false, "(2,)"), doubles(LE, 0.1, -7)), "v3.npy");
        assertArrayEquals(new double[] {0.1, -7}, b.toDoubles());
    }

    @Test
    void readsBigEndianFiles() throws IOException {
        assertArrayEquals(new float[] {1.5f, -2f, Float.NaN},
                Npy.parse(npy(1, 0, dict(">f4", false, "(3,)"), floats(BE, 1.5f, -2f, Float.NaN)), "f").toFloats());
        assertArrayEquals(new double[] {Math.PI, -1e300},
                Npy.parse(npy(1, 0, dict(">f8", false, "(1, 2)"), doubles(BE, Math.PI, -1e300)), "d").toDoubles());
        assertArrayEquals(new int[] {-3, 70000},
                Npy.parse(npy(1, 0, dict(">i4", false, "(2,)"), ints(BE, -3, 70000)), "i").toInts());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 5},
                Npy.parse(npy(2, 0, dict(">i8", false, "(2,)"), longs(BE, Long.MIN_VALUE, 5)), "l").toLongs());
    }

    @Test
    void readsIntegersOfBothWidths() throws IOException {
        NpyArray i32 = Npy.parse(npy(1, 0, dict("<i4", false, "(3,)"), ints(LE, 0, -100, 9)), "i32");
        assertEquals(NpyArray.DType.INT32, i32.dtype());
        assertArrayEquals(new long[] {0, -100, 9}, i32.toLongs());
        NpyArray i64 = Npy.parse(npy(1, 0, dict("<i8", false, "(3,)"), longs(LE, 2, -100, 1L << 40)), "i64");
        assertEquals(NpyArray.DType.INT64, i64.dtype());
        assertArrayEquals(new double[] {2, -100, 0x1p40}, i64.toDoubles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, i64::toInts);
        assertTrue(e.getMessage().contains("1099511627776") && e.getMessage().contains("index 2"), e.getMessage());
        assertArrayEquals(new int[] {2, -100}, Npy.parse(npy(1, 0, dict("<i8", false, "(2,)"), longs(LE, 2, -100)),
                "i64").toInts());
    }

    @Test
    void fortranOrderIsAcceptedOnlyWhereItIsTheSameLayout() throws IOException {
        assertArrayEquals(new float[] {1, 2, 3},
                Npy.parse(npy(1, 0, dict("<f4", true, "(3,)"), floats(LE, 1, 2, 3)), "f").toFloats());
        assertArrayEquals(new int[] {1, 3},
                Npy.parse(npy(1, 0, dict("<f4", true, "(1, 3)"), floats(LE, 1, 2, 3)), "f").shape());
        assertRefused(npy(1, 0, dict("<f4", true, "(2, 3)"), floats(LE, 1, 2, 3, 4, 5, 6)), "Fortran-order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"|O", "<u4", "<e2", "|b1", "|u1", "<c8", "<U3", "f4"})
    void otherDtypesAreRefusedByName(String descr) {
        assertRefused(npy(1, 0, dict(descr, false, "(2,)"), new byte[16]), "unsupported dtype '" + descr + "'");
    }

    @Test
    void structuredArraysAreRefused() {
        assertRefused(npy(1, 0, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8]),
                "not a simple array");
    }

    @Test
    void dataOfTheWrongLengthIsRefused() {
        assertRefused(npy(1, 0, dict("<f4", false, "(2, 3)"), floats(LE, 1, 2, 3, 4, 5)),
                "data holds 20 bytes but shape [2, 3] of float32 needs 24");
        assertRefused(npy(1, 0, dict("<f8", false, "(2,)"), doubles(LE, 1, 2, 3)),
                "data holds 24 bytes but shape [2] of float64 needs 16");
        assertRefused(npy(1, 0, dict("<i8", false, "()"), new byte[0]), "data holds 0 bytes");
    }

    @Test
    void badMagicVersionOrHeaderIsRefused() {
        byte[] good = npy(1, 0, dict("<f4", false, "(1,)"), floats(LE, 1));
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertRefused(magic, "bad magic");
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertRefused(v4, "unsupported .npy format version 4.0");
        byte[] v11 = good.clone();
        v11[7] = 1;
        assertRefused(v11, "unsupported .npy format version 1.1");
        assertRefused(java.util.Arrays.copyOf(good, 8), "not a .npy file");
        assertRefused(java.util.Arrays.copyOf(good, 40), "truncated header");
        assertRefused(npy(1, 0, "{'descr': '<f4', 'shape': (1,), }", floats(LE, 1)), "not a simple array");
        assertRefused(npy(1, 0, dict("<f4", false, "(-1,)"), floats(LE, 1)), "bad dimension -1");
    }

    private static void assertRefused(byte[] bytes, String expectedPart) {
        Npy.NpyFormatException e = assertThrows(Npy.NpyFormatException.class, () -> Npy.parse(bytes, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }

    @Test
    void writeReplacesAnExistingFileAndKeepsOrdinaryPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.createFile(dir.resolve("reference"));
        Path f = dir.resolve("out.npy");
        Files.writeString(f, "old");
        Npy.write(f, NpyArray.of(new float[] {1, 2}, 2));
        assertArrayEquals(new float[] {1, 2}, Npy.read(f).toFloats());
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertEquals(expected, Files.getPosixFilePermissions(f), "a written file gets the umask's permissions");
    }

    @Test
    void writingOverADirectoryFailsAndLeavesNothing() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.npy"));
        IOException e = assertThrows(IOException.class, () -> Npy.write(sub, NpyArray.of(new float[] {1}, 1)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(sub), files.toList());
        }
        try (Stream<Path> files = Files.list(sub)) {
            assertEquals(0, files.count());
        }
    }

    // ---- 16-bit dtypes, views, mapped files ----

    @Test
    void readsFloat16AndSixteenBitIntegersOfBothByteOrders() throws IOException {
        byte[] le = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x00, 0x7E}; // 1.0, -2.0, NaN as float16
        NpyArray h = Npy.parse(npy(1, 0, dict("<f2", false, "(3,)"), le), "h");
        assertEquals(NpyArray.DType.FLOAT16, h.dtype());
        assertArrayEquals(new float[] {1, -2, Float.NaN}, h.toFloats());
        byte[] be = {0x3C, 0x00, (byte) 0xC0, 0x00, 0x7E, 0x00};
        assertArrayEquals(h.toShorts(), Npy.parse(npy(1, 0, dict(">f2", false, "(3,)"), be), "h").toShorts());
        NpyArray u = Npy.parse(npy(1, 0, dict("<u2", false, "(3,)"), le), "u");
        assertArrayEquals(new int[] {0x3C00, 0xC000, 0x7E00}, u.toInts(), "uint16 reads as its unsigned values");
        assertArrayEquals(new int[] {0x3C00, -0x4000, 0x7E00},
                Npy.parse(npy(1, 0, dict("<i2", false, "(3,)"), le), "i").toInts());
    }

    @Test
    void viewsShowTheValuesInTheirElementType() {
        NpyArray h = NpyArray.of(new short[] {0x3C00, (short) 0xC000}, NpyArray.DType.FLOAT16, 2);
        assertEquals(org.xent.ElementType.FLOAT16, h.view().elementType());
        assertEquals(2, h.view().size());
        // bfloat16 saved as uint16 bits: 0x3F80 is 1.0, 0xC040 is -3.0
        NpyArray bits = NpyArray.of(new short[] {0x3F80, (short) 0xC040}, NpyArray.DType.UINT16, 1, 2);
        assertThrows(IllegalStateException.class, bits::view);
        assertEquals(org.xent.ElementType.BFLOAT16, bits.viewAs(org.xent.ElementType.BFLOAT16).elementType());
        assertThrows(IllegalArgumentException.class, () -> bits.viewAs(org.xent.ElementType.FLOAT32));
        assertThrows(IllegalArgumentException.class,
                () -> NpyArray.of(new float[1], 1).viewAs(org.xent.ElementType.INT32));
    }

    @ParameterizedTest
    @MethodSource("dtypesAndShapes")
    void mappedFilesHoldWhatWasWritten(NpyArray.DType dtype, int[] shape) throws IOException {
        NpyArray a = sample(dtype, shape);
        Path f = dir.resolve("m.npy");
        Npy.write(f, a);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            NpyArray m = Npy.map(f, arena);
            assertTrue(!m.hasArray());
            assertSameArray(a, m);
            assertEquals(a.length(), m.length());
        }
    }

    @ParameterizedTest
    @MethodSource("dtypesAndShapes")
    void createdFilesAreWrittenThroughTheirMapping(NpyArray.DType dtype, int[] shape) throws IOException {
        NpyArray a = sample(dtype, shape);
        Path f = dir.resolve("c.npy");
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            NpyArray out = Npy.create(f, dtype, arena, shape);
            java.lang.foreign.MemorySegment.copy(a.segment(), 0, out.segment(), 0, a.segment().byteSize());
        }
        assertSameArray(a, Npy.read(f));
        assertArrayEquals(Npy.toBytes(a), Files.readAllBytes(f), "the same bytes as an ordinary write");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Npy.create(f, dtype,
                java.lang.foreign.Arena.ofAuto(), shape));
    }

    @Test
    void readMapsFilesAboveTheLimit() throws IOException {
        NpyArray a = sample(NpyArray.DType.FLOAT32, new int[] {3, 4});
        Path f = dir.resolve("big.npy");
        Npy.write(f, a);
        assertTrue(Npy.read(f).hasArray());
        String old = System.getProperty("xent.io.mapAbove");
        System.setProperty("xent.io.mapAbove", "100");
        try {
            NpyArray m = Npy.read(f);
            assertTrue(!m.hasArray(), "a file above the limit is mapped");
            assertSameArray(a, m);
        } finally {
            if (old == null) {
                System.clearProperty("xent.io.mapAbove");
            } else {
                System.setProperty("xent.io.mapAbove", old);
            }
        }
    }

    @Test
    void mappingRefusesWhatItCannotShowInPlace() throws IOException {
        Path be = dir.resolve("be.npy");
        Files.write(be, npy(1, 0, dict(">f4", false, "(3,)"), floats(BE, 1, 2, 3)));
        IOException e = assertThrows(IOException.class, () -> Npy.map(be, java.lang.foreign.Arena.ofAuto()));
        assertTrue(e.getMessage().contains("cannot be mapped"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.npy"), "not numpy at all");
        assertThrows(Npy.NpyFormatException.class, () -> Npy.map(junk, java.lang.foreign.Arena.ofAuto()));
    }
}
