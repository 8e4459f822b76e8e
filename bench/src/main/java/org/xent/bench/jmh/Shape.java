package org.xent.bench.jmh;

/**
 * A benchmark shape, N rows by C classes, written {@code "NxC"} in the JMH parameter {@code shape} so that the
 * report and the gate can recover the element count of one operation from the JMH results alone.
 */
public record Shape(int rows, int classes) {

    public Shape {
        if (rows <= 0 || classes <= 0) {
            throw new IllegalArgumentException("shape needs rows and classes > 0, got " + rows + "x" + classes);
        }
    }

    /** Parses {@code "NxC"}, e.g. {@code "1024x1000"}. */
    public static Shape parse(String text) {
        int x = text == null ? -1 : text.indexOf('x');
        if (x <= 0 || x == text.length() - 1) {
            throw new IllegalArgumentException("shape must look like 1024x1000, got '" + text + "'");
        }
        try {
            return new Shape(Integer.parseInt(text.substring(0, x).trim()),
                    Integer.parseInt(text.substring(x + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must look like 1024x1000, got '" + text + "'");
        }
    }

    /** Elements one operation processes: N * C. */
    public long elements() {
        return (long) rows * classes;
    }

    @Override
    public String toString() {
        return rows + "x" + classes;
    }
}
