package org.xent.bench;

import org.xent.internal.KernelProvider;
import org.xent.internal.LossKernels;

/**
 * Run in a separate JVM started with exactly the benchmark forks' arguments, it reports which kernel family
 * those forks will get, as {@code key=value} lines: {@code vector} (true/false), {@code description}, and for the
 * vector family {@code bits} (the species width). Exit status 1 with an {@code error} line if the provider
 * refuses (e.g. {@code -Dxent.backend=vector} without the incubator module).
 */
public final class BackendProbe {

    private BackendProbe() {}

    public static void main(String[] args) {
        LossKernels kernels;
        try {
            kernels = KernelProvider.kernels();
        } catch (RuntimeException | LinkageError e) {
            System.out.println("error=" + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("vector=" + kernels.isVector());
        System.out.println("description=" + kernels.description());
        if (kernels.isVector()) {
            System.out.println("bits=" + org.xent.internal.vector.Species.BITS);
        }
    }
}
