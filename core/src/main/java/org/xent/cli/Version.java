package org.xent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.xent.internal.KernelProvider;

/**
 * {@code xent version} (or {@code --version}): the project version, which Maven writes into
 * {@code version.properties} next to this class when it builds core, then the JDK and the kernel family.
 */
final class Version {
    private Version() {}

    /** Stands in for the version when the resource is missing or was not filtered (classes built outside Maven). */
    static final String UNKNOWN = "unknown";

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** Two lines: {@code xent VERSION}, then the JDK and the kernels this JVM uses. */
    static String text() {
        String kernels;
        try {
            kernels = KernelProvider.kernels().description();
        } catch (RuntimeException e) {
            // a bad xent.* setting: the version is still worth printing, with the reason there are no kernels
            kernels = "none (" + e.getMessage() + ")";
        }
        return "xent " + version() + "\n"
                + "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "), kernels: " + kernels
                + "\n";
    }
}
