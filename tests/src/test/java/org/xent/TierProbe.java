package org.xent;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Computes a fixed set of losses (every loss of {@link ViewsCrossCheckTest#losses}, three shapes, float32,
 * bfloat16, float16 and float64 storage) and gives one digest of every bit each call wrote: the reduced loss of
 * {@code forward} and {@code forwardBackward}, the unreduced output and the gradient, guards and padding included.
 *
 * <p>Run as a program in a fresh JVM, it computes the set {@code repeat} times (the first call interpreted, the
 * later ones through C1 and C2 as they compile the kernels), exits 3 naming the first case whose bits changed
 * between tiers, else prints the digests, one line a case, so that a test can compare JVMs run with different
 * flags ({@code -Xint} against a normal one).
 */
public final class TierProbe {
    private TierProbe() {}

    private static final int[][] SHAPES = {{5, 37}, {2, 300}, {1, 2100}}; // 2100: chunked rows in soft CE
    private static final ElementType[] TYPES = {ElementType.FLOAT32, ElementType.BFLOAT16, ElementType.FLOAT16,
            ElementType.FLOAT64};

    /** One line a case: its name, then the hex SHA-256 of everything it wrote. */
    static List<String> digests() {
        List<String> out = new ArrayList<>();
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int classes = shape[1];
            for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(rows, classes)) {
                for (ElementType type : TYPES) {
                    out.add(lc + " " + rows + "x" + classes + " " + type + " "
                            + digest(lc.loss(), lc, rows, classes, type));
                }
            }
        }
        return out;
    }

    /**
     * The hex SHA-256 of everything {@code loss} wrote for case {@code lc} (its inputs, made from a seed of the
     * shape) in {@code type} storage: the two reduced values, the unreduced output and the gradient.
     */
    static String digest(Loss loss, ViewsCrossCheckTest.LossCase lc, int rows, int classes, ElementType type) {
        return digest(loss, lc, rows, classes, type, false);
    }

    /** {@link #digest(Loss, ViewsCrossCheckTest.LossCase, int, int, ElementType)}, native memory of a shared arena. */
    static String digestShared(Loss loss, ViewsCrossCheckTest.LossCase lc, int rows, int classes, ElementType type) {
        return digest(loss, lc, rows, classes, type, true);
    }

    private static String digest(Loss loss, ViewsCrossCheckTest.LossCase lc, int rows, int classes, ElementType type,
                                 boolean sharedArena) {
        SplittableRandom rnd = new SplittableRandom(1009L * rows + classes);
        float[] x = new float[rows * classes];
        float[] t = new float[rows * classes];
        double[] idx = new double[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = Placed.representable(ViewsCrossCheckTest.input(lc.inputKind(), rnd), type);
            t[i] = Placed.representable(ViewsCrossCheckTest.target(lc, rnd), type);
        }
        for (int r = 0; r < rows; r++) {
            idx[r] = rnd.nextInt(classes);
        }
        // float32 and float64 on heap arrays (the array kernels), bfloat16 in native memory with padded rows (the
        // segment kernels where there are some), float16 on a heap segment (staged)
        Placed.Kind kind = switch (type) {
            case BFLOAT16 -> Placed.Kind.NATIVE;
            case FLOAT16 -> Placed.Kind.HEAP_SEGMENT;
            default -> Placed.Kind.HEAP_ARRAY;
        };
        int pad = kind == Placed.Kind.HEAP_ARRAY ? 0 : 3;
        try (Arena arena = sharedArena ? Arena.ofShared() : Arena.ofConfined()) {
            Placed px = Placed.matrix(x, rows, classes, pad, type, kind, arena);
            Placed pt = lc.indices() ? Placed.vector(idx, ElementType.INT32, kind, arena)
                    : Placed.matrix(t, rows, classes, pad, type, kind, arena);
            Placed po = lc.elementwise()
                    ? Placed.matrix(new float[rows * classes], rows, classes, pad, type, kind, arena)
                    : Placed.vector(new double[rows], type, kind, arena);
            Placed pg = Placed.matrix(new float[rows * classes], rows, classes, pad, type, kind, arena);
            double both = loss.forwardBackward(px.view, pt.view, po.view, pg.view);
            double forward = loss.forward(px.view, pt.view);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(16).putDouble(both).putDouble(forward).array());
            md.update(po.bytes());
            md.update(pg.bytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code TierProbe [repeat]}: see the class comment. */
    public static void main(String[] args) {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<String> first = digests();
        for (int n = 2; n <= repeat; n++) {
            List<String> again = digests();
            for (int i = 0; i < first.size(); i++) {
                if (!first.get(i).equals(again.get(i))) {
                    System.out.println("call " + n + " differs from the first: " + again.get(i) + ", first "
                            + first.get(i));
                    System.exit(3);
                }
            }
        }
        first.forEach(System.out::println);
    }
}
