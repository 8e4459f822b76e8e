package org.xent.bench.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xent.bench.machine.MachineClass;

/**
 * Reads JMH's JSON result format ({@code -rf json}) into {@link JmhResult}s, and the machine class that
 * {@code bench} records in each benchmark record (field {@value MachineClass#FIELD}).
 */
public final class JmhResults {

    private JmhResults() {}

    /** Thrown for a file that cannot be used; the message is one line naming the file and the problem. */
    public static final class BadResultsException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadResultsException(String message) {
            super(message);
        }
    }

    /** The results of a file, without its machine class. */
    public static List<JmhResult> read(Path file) throws BadResultsException {
        return readFile(file).results();
    }

    /** The results of a file and its machine class (null for a file written before classes were recorded). */
    public static ResultsFile readFile(Path file) throws BadResultsException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadResultsException(file + ": no such file");
        } catch (IOException e) {
            throw new BadResultsException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<JmhResult> results;
        try {
            results = parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(file + ": not a JMH JSON result file: " + e.getMessage());
        }
        try {
            return new ResultsFile(file.toString(), results, machineClass(text));
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(file + ": " + e.getMessage());
        }
    }

    /** Parses the text of a result file; {@link IllegalArgumentException} says what is wrong. */
    public static List<JmhResult> parse(String text) {
        Object root = Json.parse(text);
        if (!(root instanceof List<?> rows)) {
            throw new IllegalArgumentException("the top level is not an array");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("it holds no benchmark results");
        }
        List<JmhResult> results = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof Map<?, ?> row)) {
                throw new IllegalArgumentException("entry " + i + " is not an object");
            }
            results.add(result(row, i));
        }
        return results;
    }

    /**
     * The machine class every record of a valid result file names, or null when none has one; throws
     * {@link IllegalArgumentException} when only some records have one or they disagree (a file is measured in
     * one class).
     */
    public static MachineClass machineClass(String text) {
        List<?> rows = (List<?>) Json.parse(text);
        MachineClass first = null;
        for (int i = 0; i < rows.size(); i++) {
            Object field = ((Map<?, ?>) rows.get(i)).get(MachineClass.FIELD);
            MachineClass here;
            try {
                here = field == null ? null : MachineClass.fromJson(field);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + ": " + e.getMessage());
            }
            if (i == 0) {
                first = here;
            } else if ((first == null) != (here == null)) {
                throw new IllegalArgumentException("entry " + i + (here == null ? " has no " : " has a ")
                        + MachineClass.FIELD + " record and entry 0 " + (here == null ? "has one" : "has none"));
            } else if (first != null && !first.id().equals(here.id())) {
                throw new IllegalArgumentException("entry " + i + " is of machine class " + here.id()
                        + " but entry 0 of " + first.id() + " (one file holds one class)");
            }
        }
        return first;
    }

    private static JmhResult result(Map<?, ?> row, int index) {
        String where = "entry " + index;
        if (!(row.get("benchmark") instanceof String benchmark) || benchmark.isBlank()) {
            throw new IllegalArgumentException(where + " has no \"benchmark\" name");
        }
        where += " (" + benchmark + ")";
        if (!(row.get("mode") instanceof String mode)) {
            throw new IllegalArgumentException(where + " has no \"mode\"");
        }
        if (!(row.get("primaryMetric") instanceof Map<?, ?> metric)) {
            throw new IllegalArgumentException(where + " has no \"primaryMetric\"");
        }
        double score = number(metric.get("score"), where + " score");
        double error = number(metric.get("scoreError"), where + " scoreError");
        if (!(metric.get("scoreUnit") instanceof String unit)) {
            throw new IllegalArgumentException(where + " has no \"scoreUnit\"");
        }
        if (!(score > 0) || Double.isInfinite(score)) {
            throw new IllegalArgumentException(where + " has a score that is not a positive number: " + score);
        }
        if (Double.isNaN(error)) {
            error = 0;
        }
        if (error < 0) {
            throw new IllegalArgumentException(where + " has a negative scoreError");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (row.get("params") instanceof Map<?, ?> p) {
            for (Map.Entry<?, ?> e : p.entrySet()) {
                params.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        double rate;
        double rateError;
        double perSecond = secondsFactor(unit, where);
        if (mode.equals("thrpt")) {
            if (!unit.startsWith("ops/")) {
                throw new IllegalArgumentException(where + " is a throughput in unexpected unit " + unit);
            }
            rate = score * perSecond;
            rateError = error * perSecond;
        } else if (mode.equals("avgt") || mode.equals("sample") || mode.equals("ss")) {
            if (!unit.endsWith("/op")) {
                throw new IllegalArgumentException(where + " is a time in unexpected unit " + unit);
            }
            // time per op -> ops per second; the relative error carries over to first order
            rate = 1.0 / (score * perSecond);
            rateError = rate * (error / score);
        } else {
            throw new IllegalArgumentException(where + " has unknown mode " + mode);
        }
        return new JmhResult(benchmark, params.getOrDefault("shape", ""), rate, rateError, params);
    }

    /** Seconds per unit of time in a JMH unit such as {@code ops/ms} (1e-3 -> multiply ops/ms by 1e3). */
    private static double secondsFactor(String unit, String where) {
        String time = unit.startsWith("ops/") ? unit.substring(4) : unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : "";
        double secondsPerUnit = switch (time) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException(where + " has unknown unit " + unit);
        };
        // ops per time-unit -> ops per second divides by seconds per unit; time per op multiplies
        return unit.startsWith("ops/") ? 1.0 / secondsPerUnit : secondsPerUnit;
    }

    private static double number(Object value, String what) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a number: \"" + s + "\"");
            }
        }
        throw new IllegalArgumentException(what + " is missing or not a number");
    }
}
