package org.xent.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xent.bench.machine.ClassStamp;
import org.xent.bench.machine.MachineClass;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.JmhResults.BadResultsException;

/**
 * {@code label FILE.json CLASS [--cpu TEXT] [--emulated FLAGS]}: adds the machine class record to a results file
 * written before {@code bench} recorded one, in place, so that the gate accepts it. Only for files whose class
 * is known (e.g. the old baseline, measured natively on AVX-512); a file that has a class keeps it.
 */
final class LabelCommand {

    static final int BAD_INPUT = 2;

    private LabelCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String cpu = "unknown";
        String flags = "";
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--cpu") || a.equals("--emulated")) {
                if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                    err.println("label: " + a + " needs a value");
                    return BAD_INPUT;
                }
                String v = args.get(++i);
                if (a.equals("--cpu")) {
                    cpu = v;
                } else {
                    flags = v;
                }
            } else if (a.startsWith("-")) {
                err.println("label: unknown option " + a);
                return BAD_INPUT;
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            err.println("label: usage: label FILE.json CLASS [--cpu TEXT] [--emulated FLAGS]");
            return BAD_INPUT;
        }
        Path file = Path.of(positional.get(0));
        MachineClass named;
        try {
            named = MachineClass.parseId(positional.get(1));
        } catch (IllegalArgumentException e) {
            err.println("label: CLASS: " + e.getMessage());
            return BAD_INPUT;
        }
        MachineClass machine = new MachineClass(named.isa(), named.vectorBits(), !flags.isEmpty(), flags, cpu);
        try {
            MachineClass existing = JmhResults.readFile(file).machine();
            if (existing != null) {
                err.println("label: " + file + " already records class " + existing.id() + "; it is left as it is");
                return BAD_INPUT;
            }
            ClassStamp.stampFile(file, machine);
        } catch (BadResultsException e) {
            err.println("label: " + e.getMessage());
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("label: cannot rewrite " + file + ": " + e.getMessage());
            return BAD_INPUT;
        }
        out.println("label: " + file + " is now of class " + machine.id() + " (" + machine.how() + ", " + cpu + ")");
        return 0;
    }
}
