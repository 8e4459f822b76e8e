package org.xent.cli;

import java.util.Arrays;

/** Shapes written the way NumPy prints them, for error messages: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
final class Shapes {
    private Shapes() {}

    static String text(int... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(')').toString();
    }

    static boolean same(int[] a, int... b) {
        return Arrays.equals(a, b);
    }
}
