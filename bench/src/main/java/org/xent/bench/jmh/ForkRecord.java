package org.xent.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.xent.internal.KernelProvider;
import org.xent.internal.LossKernels;

/**
 * Lets the launching process verify, after the run, which kernel family every benchmark fork really used: when
 * the system property {@value #PROPERTY} names a file, each fork appends one line
 * {@code vector|scalar <tab> description} to it. Without the property nothing happens.
 */
public final class ForkRecord {

    public static final String PROPERTY = "xent.bench.familyLog";

    private ForkRecord() {}

    static void kernelFamily() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        LossKernels kernels = KernelProvider.kernels();
        String line = (kernels.isVector() ? "vector" : "scalar") + "\t" + kernels.description() + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the kernel family in " + file, e);
        }
    }
}
