package org.xent;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Lets a test JVM started for a forced vector width or instruction set run only where the machine has it
 * (registered for every test JVM of this module through {@code META-INF/services}; see tests/pom.xml).
 *
 * <p>The run is named by {@code -Dxent.test.run} and asks with {@code -Dxent.vectorBits=N} (a width; wider than
 * the machine's widest vector, {@code Species} would throw and fail the build) or {@code -Dxent.test.isa=avx2}
 * (AVX2 code through {@code -XX:UseAVX=2}; meaningless off x86, and a repeat of the default run where AVX2 is
 * the machine's own). Where the machine cannot serve the run, every test is filtered out and one line says
 * which run was skipped and why, so that the build never reports a width as covered that was not run. JVMs
 * that ask for nothing (the default and fallback runs) are not touched; in them this class never loads the
 * Vector API.
 */
public final class MachineSupportFilter implements PostDiscoveryFilter {

    private final String skipReason = skipReason();
    private boolean announced;

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (skipReason == null) {
            return FilterResult.included("this machine supports the run");
        }
        synchronized (this) {
            if (!announced) {
                announced = true;
                System.out.println("xent: " + System.getProperty("xent.test.run", "this run") + " cross-checks skipped: "
                        + skipReason);
            }
        }
        return FilterResult.excluded(skipReason);
    }

    /** Why this JVM's run cannot be served here, or null when it can (or asks for nothing). */
    private static String skipReason() {
        return skipReason(System.getProperty("xent.vectorBits"), System.getProperty("xent.test.isa"),
                () -> jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize(),
                System.getProperty("os.arch", ""), () -> flag("UseAVX") + "/" + flag("UseFMA"),
                MachineSupportFilter::cpuHasAvx512);
    }

    /**
     * The decision, from what the run asks ({@code vectorBits}, {@code isa}, either may be null) and what the
     * machine has: its widest vector, {@code os.arch}, HotSpot's {@code UseAVX/UseFMA} (e.g. {@code 2/true}) and
     * whether the CPU has AVX-512. The machine is only asked what the run needs, so a JVM without the Vector API
     * never touches it.
     */
    static String skipReason(String vectorBits, String isa, IntSupplier widestBits, String arch,
                             Supplier<String> avxAndFma, BooleanSupplier cpuHasAvx512) {
        if (vectorBits != null && !vectorBits.isBlank()) {
            int asked;
            try {
                asked = Integer.parseInt(vectorBits.trim());
            } catch (NumberFormatException e) {
                return null; // Species reports the bad value itself, as a failure
            }
            int widest = widestBits.getAsInt();
            return asked > widest ? "this machine's widest vector is " + widest + " bits" : null;
        }
        if ("avx2".equals(isa)) {
            String a = arch.toLowerCase(Locale.ROOT);
            if (!a.equals("amd64") && !a.equals("x86_64")) {
                return "AVX2 is an x86 instruction set and this machine is " + a;
            }
            String flags = avxAndFma.get();
            if (!flags.equals("2/true")) {
                return "this CPU has no AVX2 with FMA (UseAVX/UseFMA " + flags + ")";
            }
            if (!cpuHasAvx512.getAsBoolean()) {
                return "AVX2 is this machine's own instruction set, which the default run already covers";
            }
        }
        return null;
    }

    private static String flag(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return "absent";
        }
    }

    /** Whether the CPU has AVX-512, i.e. the default run generated other code; true where Linux does not say. */
    private static boolean cpuHasAvx512() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
        } catch (IOException e) {
            return true;
        }
    }
}
