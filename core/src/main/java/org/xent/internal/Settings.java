package org.xent.internal;

import java.util.Locale;

/**
 * The {@code xent.*} system properties, read and checked in one place. A bad value is an
 * {@link IllegalArgumentException} naming the property and the value as given.
 *
 * <p>Nothing here touches the Vector API, so {@link KernelProvider} can check the settings before it links the
 * vector kernels: an error thrown from a static initialiser would reach the caller as an
 * {@link ExceptionInInitializerError} the first time and as a {@link NoClassDefFoundError} after that.
 */
public final class Settings {
    private Settings() {}

    /** {@code auto} (default), {@code vector} or {@code scalar}: see {@link KernelProvider}. */
    public static final String BACKEND = "xent.backend";
    /** 128, 256 or 512: the vector width the kernels use, at most the machine's widest; unset for the widest. */
    public static final String VECTOR_BITS = "xent.vectorBits";

    /**
     * The backend asked for, lower case, surrounding blanks ignored.
     *
     * @return {@code auto} when the property is unset, else {@code auto}, {@code vector} or {@code scalar}
     * @throws IllegalArgumentException for any other value, the empty one included
     */
    public static String backend() {
        String raw = System.getProperty(BACKEND);
        if (raw == null) {
            return "auto";
        }
        String backend = raw.trim().toLowerCase(Locale.ROOT);
        return switch (backend) {
            case "auto", "vector", "scalar" -> backend;
            default -> throw new IllegalArgumentException(
                    BACKEND + " must be auto, vector or scalar, got '" + raw + "'");
        };
    }

    /**
     * The vector width the kernels are to use.
     *
     * @param preferredBits the machine's preferred (widest) vector size
     * @return {@code preferredBits} when the property is unset or blank, else the width it gives
     * @throws IllegalArgumentException if the property is not 128, 256 or 512, or wider than {@code preferredBits}
     */
    public static int vectorBits(int preferredBits) {
        String forced = System.getProperty(VECTOR_BITS);
        if (forced == null || forced.isBlank()) {
            return preferredBits;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(VECTOR_BITS + " must be 128, 256 or 512, got '" + forced + "'");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException(VECTOR_BITS + " must be 128, 256 or 512, got " + bits);
        }
        if (bits > preferredBits) {
            throw new IllegalArgumentException(VECTOR_BITS + "=" + bits
                    + " is wider than this machine's preferred vector size (" + preferredBits + " bits)");
        }
        return bits;
    }
}
