package org.xent.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Receives JMH's verbose output: all of it goes to the log file, and the console gets one line per fork
 * ("12% ETA 00:03:40  SoftCrossEntropyBench.vectorForward32 (shape = 1024x1000) fork 1 of 2") plus failures, so
 * that no unchecked figure reaches the console before the kernel family has been verified.
 */
final class ProgressStream extends OutputStream {

    private final PrintStream log;
    private final PrintStream console;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String benchmark = "";
    private String params = "";
    private String progress = "";

    ProgressStream(PrintStream log, PrintStream console) {
        this.log = log;
        this.console = console;
    }

    @Override
    public void write(int b) {
        log.write(b);
        if (b == '\n') {
            onLine(line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(buf[i]);
        }
    }

    @Override
    public void flush() {
        log.flush();
        console.flush();
    }

    @Override
    public void close() {
        flush();
    }

    private void onLine(String text) {
        if (text.startsWith("# Benchmark: ")) {
            String name = text.substring("# Benchmark: ".length()).trim();
            int method = name.lastIndexOf('.');
            benchmark = name.substring(name.lastIndexOf('.', method - 1) + 1);
            params = "";
        } else if (text.startsWith("# Parameters: ")) {
            params = text.substring("# Parameters: ".length()).trim();
        } else if (text.startsWith("# Run progress: ")) {
            progress = text.substring("# Run progress: ".length()).replace(" complete,", "").trim();
        } else if (text.startsWith("# Fork: ")) {
            console.println("  " + progress + "  " + benchmark + " " + params + " fork "
                    + text.substring("# Fork: ".length()).trim());
        } else if (text.contains("<failure>") || text.startsWith("Exception") || text.contains("Error:")) {
            console.println("  " + text);
        }
    }
}
