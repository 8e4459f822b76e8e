package org.xent.bench.jmh;

/**
 * A benchmark shape, N rows by C classes, written {@code "NxC"} in the JMH parameter {@code shape} so that the
 * report and the gate can recover the element count of one operation from the JMH results alone.
 *
 * <p>Two input regimes: {@code "NxC"} streams the inputs from memory (each call takes the next of several input
 * sets, see {@link InputSets}), the worst case of a large batch; {@code "NxC:hot"} reuses one set call after
 * call, so that a batch that fits the last-level cache stays there, as when the loss runs right after the layer
 * that wrote the logits. Streamed, a fast kernel is bound by memory bandwidth; hot, by its arithmetic.
 *
 * @param hot whether one input set is reused (the {@code ":hot"} suffix)
 */
public record Shape(int rows, int classes, boolean hot) {

    /** The suffix of a hot shape. */
    public static final String HOT = ":hot";

    /** A streamed shape. */
    public Shape(int rows, int classes) {
        this(rows, classes, false);
    }

    public Shape {
        if (rows <= 0 || classes <= 0) {
            throw new IllegalArgumentException("shape needs rows and classes > 0, got " + rows + "x" + classes);
        }
    }

    /** Parses {@code "NxC"} or {@code "NxC:hot"}, e.g. {@code "1024x1000"}. */
    public static Shape parse(String text) {
        boolean hot = text != null && text.endsWith(HOT);
        if (hot) {
            text = text.substring(0, text.length() - HOT.length());
        }
        int x = text == null ? -1 : text.indexOf('x');
        if (x <= 0 || x == text.length() - 1) {
            throw new IllegalArgumentException("shape must look like 1024x1000, got '" + text + "'");
        }
        try {
            return new Shape(Integer.parseInt(text.substring(0, x).trim()),
                    Integer.parseInt(text.substring(x + 1).trim()), hot);
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
        return rows + "x" + classes + (hot ? HOT : "");
    }
}
