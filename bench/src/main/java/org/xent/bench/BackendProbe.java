package org.xent.bench;

import java.util.Map;
import org.xent.bench.machine.JvmFacts;
import org.xent.internal.KernelProvider;
import org.xent.internal.LossKernels;

/**
 * Run in a separate JVM started with exactly the benchmark forks' arguments (the {@code --isa} flags included),
 * it reports, as {@code key=value} lines, what code those forks generate ({@link JvmFacts}: {@code arch},
 * {@code useAvx}, {@code fma}, {@code vectorBits}) and which kernel family they will get: {@code vector}
 * (true/false), {@code description}, and for the vector family {@code bits} (the species width). Exit status 1
 * with an {@code error} line if the provider refuses (e.g. {@code -Dxent.backend=vector} without the incubator
 * module).
 */
public final class BackendProbe {

    private BackendProbe() {}

    /** Prints the answer on standard output. */
    public static void main(String[] args) {
        for (Map.Entry<String, String> e : JvmFacts.current().toProperties().entrySet()) {
            System.out.println(e.getKey() + "=" + e.getValue());
        }
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
