package org.xent;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fresh JVM, the same {@code java} as the one running the tests, for what must be checked from outside
 * this JVM: the module path, or system properties that the library reads once per JVM.
 */
public final class JavaProcess {
    private JavaProcess() {}

    /** What a finished process returned. */
    public record Result(int exitCode, String out, String err) {
        /** The lines of stdout. */
        public List<String> outLines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The java launcher of this JVM. */
    public static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Where {@code c} was loaded from: the core jar or classes folder for a library class, test-classes here. */
    public static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code java ARGS} in {@code dir}; fails the test if it does not end within two minutes. */
    public static Result run(Path dir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(args);
        try {
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            // output to files, not pipes: nothing to drain while waiting, whatever the amount
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close(); // no input
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
