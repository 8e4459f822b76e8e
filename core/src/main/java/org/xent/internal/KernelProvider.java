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
 */
public final class KernelProvider {

    public static final String BACKEND_PROPERTY = "xent.backend";
    public static final String LOGGER_NAME = "org.xent";
    private static final String VECTOR_CLASS = "org.xent.internal.vector.VectorLossKernels";

    private KernelProvider() {}

    private static final class Holder {
        static final LossKernels SELECTED = select();
    }

    /** The kernel family every public loss uses. */
    public static LossKernels kernels() {
        return Holder.SELECTED;
    }

    /** The scalar family, whatever was selected. */
    public static LossKernels scalar() {
        return ScalarLossKernels.INSTANCE;
    }

    /** The vector family if this JVM can run it. */
    public static Optional<LossKernels> vector() {
        return vectorUnavailableReason() == null ? Optional.of(loadVector()) : Optional.empty();
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
        String backend = System.getProperty(BACKEND_PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        switch (backend) {
            case "scalar" -> {
                log.log(Level.INFO, "xent: using scalar kernels (forced by -D" + BACKEND_PROPERTY + "=scalar)");
                return ScalarLossKernels.INSTANCE;
            }
            case "vector", "auto" -> {
                String reason = vectorUnavailableReason();
                LossKernels vector = null;
                if (reason == null) {
                    try {
                        vector = loadVector();
                        if (((Integer) Class.forName(VECTOR_CLASS).getMethod("bits").invoke(null)) < 128) {
                            reason = "the machine's vectors are narrower than 128 bits";
                            vector = null;
                        }
                    } catch (ReflectiveOperationException | LinkageError e) {
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
            default -> throw new IllegalArgumentException(
                    BACKEND_PROPERTY + " must be auto, vector or scalar, got '" + backend + "'");
        }
    }

    private static LossKernels loadVector() {
        try {
            return (LossKernels) Class.forName(VECTOR_CLASS).getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("xent: cannot load " + VECTOR_CLASS, e);
        }
    }
}
