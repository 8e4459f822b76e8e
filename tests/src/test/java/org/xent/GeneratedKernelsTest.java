package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The segment kernels in {@code org.xent.internal.vector} (SegmentSoftCrossEntropy*, SegmentDistillation*) are
 * generated from the templates in {@code core/src/template}: this runs the generator in check mode, which fails
 * if a generated file was edited by hand or a template changed without regenerating. Needs python3; where there
 * is none, the check is skipped and says so by name.
 */
class GeneratedKernelsTest {

    @Test
    void generatedKernelsMatchTheirTemplates() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path script = root.resolve("core/src/template/gen_segment_kernels.py");
        if (!Files.exists(script)) {
            root = root.getParent();
            script = root.resolve("core/src/template/gen_segment_kernels.py");
        }
        boolean python = hasPython();
        if (!python) {
            System.out.println("xent: GeneratedKernelsTest skipped: no python3 on this machine");
        }
        assumeTrue(python, "GeneratedKernelsTest needs python3");
        Process p = new ProcessBuilder("python3", script.toString(), "--check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
