package org.xent.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void streamedAndHotShapesParseAndPrintBack() {
        Shape streamed = Shape.parse("1024x1000");
        Shape hot = Shape.parse("1024x1000:hot");
        assertFalse(streamed.hot());
        assertTrue(hot.hot());
        assertEquals(1_024_000, hot.elements());
        assertEquals("1024x1000", streamed.toString());
        assertEquals("1024x1000:hot", hot.toString());
        assertNotEquals(streamed, hot, "the two regimes are different measurements");
    }

    @Test
    void malformedShapesAreRejectedWithTheText() {
        for (String bad : new String[] {"1024", "x1000", "1024x", ":hot", "1024x1000:cold", "0x5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.replace(":hot", "")) || e.getMessage().contains("0x5"),
                    e.getMessage());
        }
    }
}
