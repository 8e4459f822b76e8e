package org.xent.internal;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Picks the kernel family once per JVM: the Vector API kernels when {@code jdk.incubator.vector} is readable
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the machine has vectors of at
 * least 128 bits, the scalar kernels otherwise. It logs one line saying which, through {@link System.Logger}
 * (logger name {@value #LOGGER_NAME}).
 *
 * <p>The system property {@value #BACKEND_PROPERTY} overrides the choice: {@code scalar} forces the scalar
 * kernels; {@code vector} demands the vector kernels and makes {@link #kernels()} throw if they cannot be
 * used, so a build or benchmark can never silently run without SIMD; {@code auto} (default) picks as above.
 *
 * <p>A bad value of {@value #BACKEND_PROPERTY}, or of {@value Settings#VECTOR_BITS} where the vector kernels are
 * considered, makes every call of {@link #kernels()} throw an {@link IllegalArgumentException} naming the
 * property and the value; a {@code vector} demand that cannot be met, an {@link IllegalStateException}. The
 * outcome is kept, so every call fails alike, not only the first.
 */
public final class KernelProvider {

    public static final String BACKEND_PROPERTY = Settings.BACKEND;
    public static final String LOGGER_NAME = "org.xent";
    private static final String VECTOR_CLASS = "org.xent.internal.vector.VectorLossKernels";

    private KernelProvider() {}

    private static final class Holder {
        static final Selection SELECTED = Selection.make();
    }

    /**
     * The outcome of the selection: the family, or why there is none. Thrown from a static initialiser, the
     * exception would reach the first caller as an ExceptionInInitializerError and every later one as a
     * NoClassDefFoundError, neither of which says which setting is wrong.
     */
    private record Selection(LossKernels kernels, RuntimeException failure) {
        static Selection make() {
            try {
                return new Selection(select(), null);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return new Selection(null, e);
            }
        }

        LossKernels get() {
            if (failure == null) {
                return kernels;
            }
            // a new exception per call, so that each caller's stack trace is its own; type and message stay
            throw failure instanceof IllegalArgumentException
                    ? new IllegalArgumentException(failure.getMessage(), failure.getCause())
                    : new IllegalStateException(failure.getMessage(), failure.getCause());
        }
    }

    /**
     * The kernel family every public loss uses.
     *
     * @throws IllegalArgumentException if a {@code xent.*} property has a bad value
     * @throws IllegalStateException if {@code -Dxent.backend=vector} demands vector kernels this JVM cannot run
     */
    public static LossKernels kernels() {
        return Holder.SELECTED.get();
    }

    /** The scalar family, whatever was selected. */
    public static LossKernels scalar() {
        return ScalarLossKernels.INSTANCE;
    }

    /**
     * The vector family if this JVM can run it.
     *
     * @throws IllegalArgumentException if {@value Settings#VECTOR_BITS} has a bad value
     */
    public static Optional<LossKernels> vector() {
        if (vectorUnavailableReason() != null) {
            return Optional.empty();
        }
        vectorBits();
        return Optional.of(loadVector());
    }

    /** Why the vector family cannot be used here, or null if it can. */
    public static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the module jdk.incubator.vector is not available"
                    + " (start the JVM with --add-modules jdk.incubator.vector)";
        }
        return null;
    }

    private static LossKernels select() {
        System.Logger log = System.getLogger(LOGGER_NAME);
        String backend = Settings.backend();
        if (backend.equals("scalar")) {
            log.log(Level.INFO, "xent: using scalar kernels (forced by -D" + BACKEND_PROPERTY + "=scalar)");
            return ScalarLossKernels.INSTANCE;
        }
        String reason = vectorUnavailableReason();
        LossKernels vector = null;
        if (reason == null) {
            try {
                // xent.vectorBits is checked before the kernels are linked, so that a bad value is an
                // IllegalArgumentException from here rather than an error in the static initialiser of Species
                if (vectorBits() < 128) {
                    reason = "the machine's vectors are narrower than 128 bits";
                } else {
                    vector = loadVector();
                }
            } catch (IllegalStateException | LinkageError e) {
                reason = "the vector kernels failed to load: " + e;
            }
        }
        if (vector != null) {
            log.log(Level.INFO, "xent: using " + vector.description());
            return vector;
        }
        if (backend.equals("vector")) {
            throw new IllegalStateException("xent: -D" + BACKEND_PROPERTY
                    + "=vector demands the vector kernels, but " + reason);
        }
        log.log(Level.WARNING, "xent: falling back to scalar kernels: " + reason);
        return ScalarLossKernels.INSTANCE;
    }

    /** The width the vector kernels will use; the Vector API must be readable. */
    private static int vectorBits() {
        int preferred;
        try {
            preferred = (Integer) Class.forName(VECTOR_CLASS).getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("xent: cannot ask " + VECTOR_CLASS + " for the vector size", e);
        }
        return Settings.vectorBits(preferred);
    }

    private static LossKernels loadVector() {
        try {
            return (LossKernels) Class.forName(VECTOR_CLASS).getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("xent: cannot load " + VECTOR_CLASS, e);
        }
    }
}
