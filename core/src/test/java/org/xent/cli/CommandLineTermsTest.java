package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xent.InvalidArgumentException;

/** The library's parameter names become the options their values come from, by the exception's parameter(). */
class CommandLineTermsTest {

    private static String terms(IllegalArgumentException e) {
        return LossCommand.inCommandLineTerms(e);
    }

    @Test
    void parameterBecomesItsOption() {
        assertEquals("--target: offset 4 + length 6 is out of bounds",
                terms(new InvalidArgumentException("targets", "targets: offset 4 + length 6 is out of bounds")));
        assertEquals("--weight must have one entry per class",
                terms(new InvalidArgumentException("classWeights", "classWeights must have one entry per class")));
        assertEquals("--input must be between 0 and 1",
                terms(new InvalidArgumentException("probabilities", "probabilities must be between 0 and 1")));
    }

    @Test
    void theParameterDecidesNotTheMessage() {
        // a message that starts with another parameter's name is not rewritten as that one
        assertEquals("--pos-weight: weights and posWeight differ",
                terms(new InvalidArgumentException("posWeight", "weights and posWeight differ")));
        // no option feeds the number of rows: left in the library's words
        assertEquals("rows must be >= 0, got -1", terms(new InvalidArgumentException("rows", "rows must be >= 0, got -1")));
    }

    @Test
    void theLossClassesNameTheirParametersToo() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.xent.Distillation.builder().temperature(0));
        assertEquals("--temperature must be finite and > 0, got 0.0", terms(e));
        // a plain IllegalArgumentException carries no parameter: its message is left as it is
        assertEquals("temperature must be finite and > 0, got 0.0",
                terms(new IllegalArgumentException("temperature must be finite and > 0, got 0.0")));
    }
}
