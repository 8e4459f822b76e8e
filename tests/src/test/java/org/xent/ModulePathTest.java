package org.xent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.internal.KernelProvider;

/**
 * xent as a module: a consumer module ({@code requires org.xent;}) is compiled against the core build with the
 * system compiler, then run in a fresh JVM on the module path, with and without the Vector API; and a consumer
 * that imports an internal package must not compile. The rest of the suite uses core on the class path.
 */
class ModulePathTest {

    /** SoftCrossEntropy of logits (1, 2, 3) against one-hot class 2: log(e + e^2 + e^3) - 3. */
    private static final double EXPECTED = 0.40760596;

    private static final String MODULE_INFO = "module consumer {\n    requires org.xent;\n}\n";

    private static final String MAIN = """
            package org.example.consumer;

            import org.xent.SoftCrossEntropy;

            public class Main {
                public static void main(String[] args) {
                    float loss = SoftCrossEntropy.create().forward(new float[] {1, 2, 3}, new float[] {0, 0, 1}, 1, 3);
                    System.out.println(loss);
                }
            }
            """;

    private static final String INTERNAL = """
            package org.example.consumer;

            import org.xent.internal.Checks;

            public class Internal {
                public static void main(String[] args) {
                    Checks.matrixSize(1, 1);
                }
            }
            """;

    @TempDir
    Path tmp;

    /** The core module as the tests see it: the built jar, or target/classes. */
    private Path core;

    @BeforeEach
    void findCore() {
        core = JavaProcess.locationOf(SoftCrossEntropy.class);
        assertTrue(Files.exists(core.resolve("module-info.class")) || core.toString().endsWith(".jar"),
                "core should be a module (jar or classes folder with module-info.class): " + core);
    }

    @Test
    void consumerRunsALossWithoutTheVectorApi() throws IOException {
        Path classes = compile(MAIN);
        JavaProcess.Result r = JavaProcess.run(tmp, List.of("-Dxent.backend=auto", "--module-path",
                modulePath(classes), "-m", "consumer/org.example.consumer.Main"));
        assertLoss(r);
        assertTrue(r.err().contains("falling back to scalar kernels"), "the fallback should be logged: " + r);
    }

    @Test
    void consumerRunsTheVectorKernelsWhenTheModuleIsResolved() throws IOException {
        assumeTrue(KernelProvider.vectorUnavailableReason() == null, "this JVM has no Vector API");
        Path classes = compile(MAIN);
        // backend=vector fails the run unless org.xent can read jdk.incubator.vector ('requires static' gives the
        // edge once the module is resolved) and link the vector kernels from the module path
        JavaProcess.Result r = JavaProcess.run(tmp, List.of("--add-modules", "jdk.incubator.vector",
                "-Dxent.backend=vector", "--module-path", modulePath(classes), "-m",
                "consumer/org.example.consumer.Main"));
        assertLoss(r);
        assertTrue(r.err().contains("xent: using vector"), "the vector kernels should be logged: " + r);
    }

    @Test
    void internalPackagesAreNotVisible() throws IOException {
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac(diagnostics, Files.createDirectories(tmp.resolve("internal-classes")),
                source("Internal.java", INTERNAL));
        String text = diagnostics.toString();
        assertFalse(ok, "a consumer importing org.xent.internal must not compile");
        // javac's note under the error adds "(package org.xent.internal is declared in module org.xent, which does
        // not export it)"; the diagnostic's message is the error line
        assertTrue(text.contains("ERROR: package org.xent.internal is not visible"),
                "javac should refuse the package as not exported: " + text);
    }

    private static void assertLoss(JavaProcess.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.outLines();
        assertEquals(1, lines.size(), r.toString());
        double value = Double.parseDouble(lines.get(0));
        assertTrue(Double.isFinite(value) && Math.abs(value - EXPECTED) <= 1e-6, "loss " + value + ": " + r);
    }

    private String modulePath(Path classes) {
        return core + File.pathSeparator + classes;
    }

    /** Compiles the consumer module with {@code main} as its one class; returns the classes folder. */
    private Path compile(String main) throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        StringWriter diagnostics = new StringWriter();
        assertTrue(javac(diagnostics, classes, source("Main.java", main)), diagnostics.toString());
        return classes;
    }

    private Path source(String file, String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src/consumer/org/example/consumer"));
        Files.writeString(tmp.resolve("src/consumer/module-info.java"), MODULE_INFO);
        return Files.writeString(dir.resolve(file), text);
    }

    private boolean javac(StringWriter diagnostics, Path classes, Path source) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler (the tests need a JDK)");
        DiagnosticCollector<JavaFileObject> collected = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(collected, Locale.ROOT, UTF_8)) {
            List<String> options = List.of("--module-path", core.toString(), "-d", classes.toString(), "-Xlint:all");
            boolean ok = javac.getTask(diagnostics, files, collected, options, null,
                    files.getJavaFileObjects(tmp.resolve("src/consumer/module-info.java"), source)).call();
            for (Diagnostic<? extends JavaFileObject> d : collected.getDiagnostics()) {
                diagnostics.append(d.getKind().toString()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
            return ok;
        }
    }
}
