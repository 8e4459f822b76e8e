package org.xent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the report header says about the machine: CPU model, cores, load. Linux files; "unknown" elsewhere. */
final class Machine {

    private Machine() {}

    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    /** Notable SIMD flags from /proc/cpuinfo, e.g. "avx2 avx512f". */
    static String simdFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    StringBuilder sb = new StringBuilder();
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        if (f.equals("avx2") || f.equals("fma") || f.equals("avx512f") || f.equals("avx512_bf16")
                                || f.equals("avx512_fp16")) {
                            sb.append(sb.isEmpty() ? "" : " ").append(f);
                        }
                    }
                    return sb.toString();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }
}
