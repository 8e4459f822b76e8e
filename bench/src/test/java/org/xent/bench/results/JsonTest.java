package org.xent.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"y\\\\z\\u00e9\\n\"}, \"e\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1.0, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertNull(((List<?>) m.get("a")).get(4));
        assertEquals("x\"y\\z\u00e9\n", ((Map<?, ?>) m.get("b")).get("c"));
        assertTrue(((Map<?, ?>) m.get("e")).isEmpty());
        assertEquals(List.of(), Json.parse("[]"));
    }

    @Test
    void rejectsMalformedTextWithAPosition() {
        for (String bad : new String[] {"", "[", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "[1] x", "tru", "\"abc",
                "[01x]", "{1: 2}", "\"\\q\""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
        }
    }
}
