package org.xent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.xent.bench.jmh.ForkRecord;
import org.xent.bench.machine.ClassStamp;
import org.xent.bench.machine.Isa;
import org.xent.bench.machine.IsaRequest;
import org.xent.bench.machine.IsaRequest.UnsupportedIsaException;
import org.xent.bench.machine.JvmFacts;
import org.xent.bench.machine.MachineClass;
import org.xent.bench.report.MarkdownReport;
import org.xent.bench.report.SvgChart;
import org.xent.bench.results.JmhResult;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.JmhResults.BadResultsException;

/**
 * {@code bench [--full | --smoke | --loss NAME | --threads LIST] [--backend scalar|vector] [--isa avx512|avx2|128]
 * [--out DIR] [--pytorch]}: runs a JMH suite through the Runner API and writes {@code results.json} (JMH, each record
 * stamped with the run's {@link MachineClass}), {@code report.md}, {@code report.svg} and {@code jmh.log} (JMH's
 * own output) into the output directory.
 *
 * <p>No figure is printed unless every benchmark fork used the Vector API kernels (or {@code --backend scalar}
 * asked for the scalar ones): a probe JVM with the forks' arguments is checked before the run, and each fork
 * records its family in a file that is checked after it. The same probe says which machine class the forks
 * generate code for, native or restricted by {@code --isa}.
 */
final class BenchCommand {

    static final int FAILED = 1;
    /** {@code --isa} asked for code this machine cannot run. */
    static final int UNSUPPORTED_ISA = 2;
    static final int WRONG_BACKEND = 3;
    static final int USAGE = 64;

    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";
    /** The incubator module must be in the forks' arguments: options given here replace the @Fork annotation's. */
    private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private BenchCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, JvmFacts.current());
    }

    /** {@link #run(List, PrintStream, PrintStream)} on a host with the given facts (tests pass other machines). */
    static int run(List<String> args, PrintStream out, PrintStream err, JvmFacts host) {
        boolean full = false;
        boolean smoke = false;
        boolean torch = false;
        String backend = null;
        String loss = null;
        String threads = null;
        Isa isa = null;
        Path outDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--full" -> full = true;
                case "--smoke" -> smoke = true;
                case "--pytorch" -> torch = true;
                case "--backend", "--out", "--loss", "--isa", "--threads" -> {
                    if (i + 1 >= args.size()) {
                        err.println("bench: " + a + " needs a value");
                        return USAGE;
                    }
                    String v = args.get(++i);
                    if (a.equals("--out")) {
                        outDir = Path.of(v);
                    } else if (a.equals("--threads")) {
                        if (!v.matches("[1-9][0-9]{0,3}(,[1-9][0-9]{0,3})*")) {
                            err.println("bench: --threads takes thread counts of at least 1, comma-separated (e.g."
                                    + " 1,2), got '" + v + "'");
                            return USAGE;
                        }
                        threads = v;
                    } else if (a.equals("--isa")) {
                        isa = Isa.parse(v);
                        if (isa == null) {
                            err.println("bench: --isa must be " + Isa.choices() + ", got '" + v + "'");
                            return USAGE;
                        }
                    } else if (a.equals("--loss")) {
                        if (!v.matches("[A-Z][A-Za-z0-9]*")) {
                            err.println("bench: --loss takes a loss class name such as SoftCrossEntropy, got '" + v + "'");
                            return USAGE;
                        }
                        loss = v;
                    } else if (v.equals("scalar") || v.equals("vector")) {
                        backend = v;
                    } else {
                        err.println("bench: --backend must be scalar or vector, got '" + v + "'");
                        return USAGE;
                    }
                }
                default -> {
                    err.println("bench: unknown argument '" + a + "'");
                    Main.usage(err);
                    return USAGE;
                }
            }
        }
        if ((full ? 1 : 0) + (smoke ? 1 : 0) + (loss != null ? 1 : 0) + (threads != null ? 1 : 0) > 1) {
            err.println("bench: --full, --smoke, --loss and --threads exclude each other");
            return USAGE;
        }
        if (loss != null && !hasClass("org.xent.bench.jmh." + loss + "Bench")) {
            err.println("bench: no benchmark class " + loss + "Bench for --loss " + loss);
            return USAGE;
        }
        if (torch && !hasClass("org.xent.bench.torch." + (threads != null ? "Parallel" : "") + "SoftCrossEntropyBench")) {
            err.println("bench: --pytorch needs the PyTorch benchmarks, which this jar does not contain; build it with"
                    + " ./mvnw -B -ntp -Ppytorch -DskipTests install -pl bench -am");
            return USAGE;
        }
        IsaRequest isaRequest;
        try {
            isaRequest = IsaRequest.of(isa, host);
        } catch (UnsupportedIsaException e) {
            err.println("bench: " + e.getMessage());
            return UNSUPPORTED_ISA;
        }
        Suite suite = threads != null ? Suite.threads(torch) : full ? Suite.full(torch) : smoke ? Suite.smoke(torch)
                : loss != null ? Suite.loss(loss, declaredShapes("org.xent.bench.jmh." + loss + "Bench"), torch)
                : Suite.standard(torch);
        String timing = System.getenv(Suite.TIMING_VARIABLE);
        if (timing != null && !timing.isBlank()) {
            try {
                suite = suite.withTiming(timing);
            } catch (IllegalArgumentException e) {
                err.println("bench: " + e.getMessage());
                return USAGE;
            }
        }
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (outDir == null) {
            outDir = Main.repoRoot().resolve("bench-results").resolve(stamp);
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            err.println("bench: cannot create " + outDir + ": " + e.getMessage());
            return FAILED;
        }
        Path forkLog = outDir.resolve("forks.log").toAbsolutePath();
        List<String> forkArgs = new ArrayList<>();
        forkArgs.add(VECTOR_MODULE);
        // after the inherited options, so that they win over any code generation flag the launcher had
        forkArgs.addAll(isaRequest.flags());
        if (backend != null) {
            forkArgs.add("-Dxent.backend=" + backend);
        }
        forkArgs.add("-D" + ForkRecord.PROPERTY + "=" + forkLog);
        if (torch) {
            // libtorch comes from the pytorch-native-cpu jar inside xent-bench.jar: never download
            forkArgs.add("-Dai.djl.offline=true");
            forkArgs.add("--enable-native-access=ALL-UNNAMED");
        }
        // the provider's one INFO line per fork would interleave with the progress lines; warnings still show
        Path logging = outDir.resolve("fork-logging.properties").toAbsolutePath();
        try {
            Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n");
        } catch (IOException e) {
            err.println("bench: cannot write " + logging + ": " + e.getMessage());
            return FAILED;
        }
        forkArgs.add("-Djava.util.logging.config.file=" + logging);
        out.println("bench: suite " + suite.name());
        out.println("bench: output in " + outDir.toAbsolutePath());

        Map<String, String> probe = probe(forkArgs, err);
        boolean wantScalar = "scalar".equals(backend);
        if (probe.containsKey("error") || (!wantScalar && !"true".equals(probe.get("vector")))) {
            alarm(err, "the benchmark JVMs would NOT use the Vector API kernels: "
                    + probe.getOrDefault("error", probe.getOrDefault("description", "no answer from the probe JVM"))
                    + ". No figures are printed; fix the JVM (JDK 25, --add-modules jdk.incubator.vector) or pass"
                    + " --backend scalar to measure the scalar fallback on purpose.");
            return WRONG_BACKEND;
        }
        MachineClass machine;
        try {
            machine = isaRequest.machineClass(JvmFacts.fromProperties(probe), Machine.cpuModel());
        } catch (UnsupportedIsaException | IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return UNSUPPORTED_ISA;
        }

        Map<String, String> header = new LinkedHashMap<>();
        header.put("Date (UTC)", stamp);
        header.put("Suite", suite.name());
        header.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        header.put("CPU", Machine.cpuModel() + " (" + Machine.simdFlags() + ")");
        header.put("Cores available", String.valueOf(Runtime.getRuntime().availableProcessors()));
        header.put("Kernel family", probe.get("description") + (backend == null ? "" : " (--backend " + backend + ")"));
        header.put("Machine class", isaRequest.describe(machine));
        header.put("Vector width", machine.vectorBits() + " bits, " + machine.floatLanes() + " float lanes (kernel species: "
                + (probe.containsKey("bits") ? probe.get("bits") + "-bit" : "none, scalar kernels") + ")");
        header.put("Load average at start", Machine.loadAverage());

        Path json = outDir.resolve("results.json");
        Path jmhLog = outDir.resolve("jmh.log");
        try {
            Files.deleteIfExists(forkLog);
        } catch (IOException e) {
            err.println("bench: cannot reset " + forkLog + ": " + e.getMessage());
            return FAILED;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(suite.forks())
                .warmupIterations(suite.warmups())
                .warmupTime(TimeValue.milliseconds(suite.warmupMs()))
                .measurementIterations(suite.iterations())
                .measurementTime(TimeValue.milliseconds(suite.iterationMs()))
                .timeUnit(TimeUnit.SECONDS)
                .jvmArgsAppend(forkArgs.toArray(new String[0]))
                .shouldFailOnError(true)
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON);
        for (String include : suite.includes()) {
            options.include(include);
        }
        if (!suite.shapes().isEmpty()) {
            options.param("shape", suite.shapes().toArray(new String[0]));
        }
        if (threads != null) {
            options.param("threads", threads.split(","));
        }
        try (PrintStream log = new PrintStream(Files.newOutputStream(jmhLog), true, StandardCharsets.UTF_8);
             PrintStream progress = new PrintStream(new ProgressStream(log, out), true, StandardCharsets.UTF_8)) {
            new Runner(options.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
        } catch (RunnerException | RuntimeException e) {
            err.println("bench: the JMH run failed: " + e.getMessage() + " (details in " + jmhLog + ")");
            return FAILED;
        } catch (IOException e) {
            err.println("bench: cannot write " + jmhLog + ": " + e.getMessage());
            return FAILED;
        }

        String forkProblem = checkForks(forkLog, wantScalar);
        if (forkProblem != null) {
            alarm(err, forkProblem + " No figures are printed (raw JMH output: " + jmhLog + ").");
            return WRONG_BACKEND;
        }
        header.put("Load average at end", Machine.loadAverage());

        List<JmhResult> results;
        try {
            results = JmhResults.read(json);
            ClassStamp.stampFile(json, machine);
        } catch (BadResultsException e) {
            err.println("bench: " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("bench: cannot record the machine class in " + json + ": " + e.getMessage());
            return FAILED;
        }
        String title = "xent benchmarks " + stamp;
        try {
            Files.writeString(outDir.resolve("report.md"), MarkdownReport.render(title, header, results));
            Files.writeString(outDir.resolve("report.svg"), SvgChart.render((threads != null ? "threads " + threads
                    : "one thread") + ", "
                    + (probe.containsKey("bits") ? probe.get("bits") + "-bit vectors" : "scalar kernels"), results));
        } catch (IOException e) {
            err.println("bench: cannot write the report: " + e.getMessage());
            return FAILED;
        }
        out.println();
        for (Map.Entry<String, String> e : header.entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        out.println();
        out.print(MarkdownReport.body(results));
        out.println("bench: wrote " + json + ", " + outDir.resolve("report.md") + ", " + outDir.resolve("report.svg"));
        return 0;
    }

    /** The values of a benchmark class's {@code shape} parameter, or none (then each class uses its own). */
    private static List<String> declaredShapes(String className) {
        try {
            Param p = Class.forName(className).getField("shape").getAnnotation(Param.class);
            return p == null ? List.of() : List.of(p.value());
        } catch (ReflectiveOperationException | LinkageError e) {
            return List.of();
        }
    }

    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, BenchCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts a JVM with the forks' arguments and the probe class; its key=value answer, or an "error" entry. */
    private static Map<String, String> probe(List<String> forkArgs, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // JMH forks inherit the launching JVM's options, then get the appended ones: do the same here
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(forkArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BackendProbe.class.getName());
        Map<String, String> answer = new LinkedHashMap<>();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        answer.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                answer.putIfAbsent("error", "the probe JVM failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
                p.destroy();
            }
        } catch (IOException e) {
            answer.put("error", "cannot start the probe JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.put("error", "interrupted");
        }
        return answer;
    }

    /** Null when every fork used the expected family; otherwise what went wrong. */
    static String checkForks(Path forkLog, boolean wantScalar) {
        List<String> lines;
        try {
            lines = Files.exists(forkLog) ? Files.readAllLines(forkLog) : List.of();
        } catch (IOException e) {
            return "cannot read the fork record " + forkLog + ": " + e.getMessage() + ".";
        }
        if (lines.isEmpty()) {
            return "no benchmark fork recorded its kernel family (" + forkLog + " is empty).";
        }
        for (String line : lines) {
            boolean vector = line.startsWith("vector\t");
            if (!vector && !wantScalar) {
                return "a benchmark fork SILENTLY FELL BACK to the scalar kernels (" + line.replace('\t', ' ')
                        + "): the figures would not measure the Vector API kernels.";
            }
            if (vector && wantScalar) {
                return "--backend scalar was asked but a fork used " + line.replace('\t', ' ') + ".";
            }
        }
        return null;
    }

    private static void alarm(PrintStream err, String message) {
        err.println(RED + "!!! xent bench: " + message + RESET);
    }
}
