/**
 * xent: fused cross-entropy losses and their gradients, with SIMD kernels on the JDK Vector API and scalar
 * kernels where it is not available.
 *
 * <p>The API is the loss classes of {@link org.xent} and the NumPy {@code .npy} reading and writing of
 * {@link org.xent.io}. Every other package (the kernels, the provider that picks them, the command line) is
 * internal and not exported: it may change in any release.
 *
 * <p>The Vector API is optional at run time. Start the JVM with {@code --add-modules jdk.incubator.vector} to
 * get the vector kernels; without it the losses use the scalar kernels and log one warning saying so.
 */
module org.xent {
    exports org.xent;
    exports org.xent.io;

    // static: needed to compile the vector kernels, optional at run time. When the JVM resolves the module
    // (--add-modules jdk.incubator.vector), org.xent reads it, because resolution adds the readability edge of a
    // 'requires static' whose target is in the graph; the kernel provider links the vector kernels only then.
    requires static jdk.incubator.vector;

    // static: only the command line's logging set-up (org.xent.cli.QuietLogging, named by the launcher) uses it;
    // the library logs through System.Logger, which is in java.base.
    requires static java.logging;
}
