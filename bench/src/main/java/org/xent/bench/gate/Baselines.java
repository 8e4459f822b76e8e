package org.xent.bench.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.xent.bench.machine.Isa;
import org.xent.bench.machine.MachineClass;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.JmhResults.BadResultsException;
import org.xent.bench.results.ResultsFile;

/**
 * The folder of baselines, one results file per machine class ({@code bench/baseline/}): which file is the
 * baseline of a class is read from the files' own class records, not from their names.
 */
final class Baselines {

    private Baselines() {}

    /**
     * The baseline of {@code machine}'s class in {@code dir}; otherwise a {@link BadResultsException} whose
     * one-line message names the class and lists the files present with their classes.
     */
    static ResultsFile pick(Path dir, MachineClass machine) throws BadResultsException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new BadResultsException("cannot list the baseline folder " + dir + " (" + e.getMessage() + ")");
        }
        List<ResultsFile> matches = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Path f : files) {
            try {
                ResultsFile candidate = JmhResults.readFile(f);
                present.add(f.getFileName() + ": " + candidate.classOrNone());
                if (candidate.machine() != null && candidate.machine().id().equals(machine.id())) {
                    matches.add(candidate);
                }
            } catch (BadResultsException e) {
                present.add(f.getFileName() + ": not a results file");
            }
        }
        if (matches.size() > 1) {
            throw new BadResultsException(dir + " holds " + matches.size() + " baselines of class " + machine.id()
                    + " (" + String.join(", ", matches.stream().map(ResultsFile::name).toList()) + "): keep one");
        }
        if (matches.isEmpty()) {
            throw new BadResultsException("no baseline of class " + machine.id() + " in " + dir + " (present: "
                    + (present.isEmpty() ? "none" : String.join("; ", present)) + "); " + howToRecord(dir, machine));
        }
        return matches.get(0);
    }

    private static String howToRecord(Path dir, MachineClass machine) {
        Isa isa = Isa.parse(machine.isa());
        if (isa != null && isa.bits() == machine.vectorBits()) {
            return "record one with ./xent bench --isa " + isa.cliName() + " --out /tmp/b && cp /tmp/b/results.json "
                    + dir.resolve(isa.cliName() + ".json");
        }
        return "record one with ./xent bench on a machine of that class and copy its results.json there";
    }
}
