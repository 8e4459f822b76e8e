package org.xent.bench.results;

import java.util.List;
import org.xent.bench.machine.MachineClass;

/**
 * One JMH results file as the gate uses it.
 *
 * @param name    the path it was read from, for messages
 * @param results its benchmarks
 * @param machine the machine class it was measured in, or null for a file from before classes were recorded
 */
public record ResultsFile(String name, List<JmhResult> results, MachineClass machine) {

    /** The class name for messages, or a note that there is none. */
    public String classOrNone() {
        return machine == null ? "no machine class record" : "class " + machine.id();
    }
}
