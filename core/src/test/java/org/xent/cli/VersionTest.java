package org.xent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code xent version} and {@code xent --version}: the Maven version, filtered into the resource, then the JDK. */
class VersionTest {

    private static List<String> run(String arg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {arg}, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        assertEquals(0, code, err.toString(UTF_8));
        assertEquals("", err.toString(UTF_8));
        return List.of(out.toString(UTF_8).split("\\R"));
    }

    @Test
    void printsTheProjectVersionThenTheJdkAndKernels() {
        List<String> lines = run("version");
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("xent \\d+\\.\\d+\\.\\d+\\S*"), "not a filtered version: " + lines.get(0));
        assertTrue(lines.get(1).startsWith("JDK " + Runtime.version() + " ("), lines.get(1));
        assertTrue(lines.get(1).contains("kernels: "), lines.get(1));
        assertEquals(lines, run("--version"));
    }
}
