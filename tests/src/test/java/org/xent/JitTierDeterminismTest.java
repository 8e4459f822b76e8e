package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same bits whatever the JIT tier: {@link TierProbe}'s cases computed in a JVM that only interprets
 * ({@code -Xint}: every Vector API operation through its Java fallback), in a fresh normal JVM from the first,
 * interpreted call through C1 to C2 (the probe fails if a later call differs from the first), and in this JVM,
 * whose kernels other tests have compiled already. The forks get this JVM's vector width, backend and ISA flags,
 * since the guarantee is per width.
 */
class JitTierDeterminismTest {

    @TempDir
    Path tmp;

    @Test
    void interpretedCompiledAndThisJvmGiveTheSameBits() {
        List<String> here = TierProbe.digests();
        List<String> interpreted = probe("-Xint", "1");
        // 400 rounds: each kernel's row loop runs tens of thousands of times, past C2's thresholds
        List<String> tiered = probe("-XX:+TieredCompilation", "400");
        assertEquals(here.size(), interpreted.size());
        for (int i = 0; i < here.size(); i++) {
            assertEquals(here.get(i), interpreted.get(i), "interpreted (-Xint) against this JVM");
            assertEquals(here.get(i), tiered.get(i), "a fresh JVM after 400 calls against this JVM");
        }
    }

    /**
     * No kernel sums lanes with {@code reduceLanes(ADD)} (or MUL), whose order differs between the tiers: the
     * probe's cases cannot reach every call site, this check reads them all. MAX and MIN are exact in any order.
     */
    @Test
    void noKernelReducesLanesInAnUnspecifiedOrder() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path sources = root.resolve("core/src/main/java");
        if (!Files.isDirectory(sources)) {
            sources = root.getParent().resolve("core/src/main/java");
        }
        assertTrue(Files.isDirectory(sources), "core sources not found from " + root);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.contains("reduceLanes(VectorOperators.ADD")
                            || l.contains("reduceLanes(VectorOperators.MUL")) {
                        found.add(sources.relativize(f) + ":" + (i + 1) + ": " + l.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "lane sums must go through LaneSums");
    }

    private List<String> probe(String mode, String repeat) {
        List<String> args = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // the vector width and ISA of this run (-Dxent.vectorBits, -XX:UseAVX, --add-modules, ...)
            if (a.startsWith("-Dxent.") || a.startsWith("-XX:UseAVX") || a.startsWith("-XX:MaxVectorSize")
                    || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("--add-modules")) {
                args.add(a);
            }
        }
        if (args.stream().noneMatch(a -> a.startsWith("--add-modules"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            args.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        args.add(mode);
        args.addAll(List.of("-cp", System.getProperty("java.class.path"), TierProbe.class.getName(), repeat));
        JavaProcess.Result r = JavaProcess.run(tmp, args);
        assertEquals(0, r.exitCode(), mode + ": " + r);
        return r.outLines();
    }
}
