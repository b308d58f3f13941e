package io.longshore.deploy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutputTailTest {
    @Test
    void keepsTheLastTwentyLinesWithoutTrailingBlankLines() {
        String out = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n\n";
        String tail = OutputTail.of(out);
        assertTrue(tail.startsWith("line 11\n"), tail);
        assertTrue(tail.endsWith("line 30"), tail);
    }

    @Test
    void aLongOutputIsCutToFourKibibytesAtALineStart() {
        String out = IntStream.rangeClosed(1, 10).mapToObj(i -> i + "x".repeat(1000)).collect(Collectors.joining("\n"));
        String tail = OutputTail.of(out);
        assertTrue(tail.length() <= OutputTail.MAX_BYTES, "length " + tail.length());
        assertTrue(tail.startsWith("8x") || tail.startsWith("7x"), tail.substring(0, 5));
    }

    @Test
    void nothingPrintedIsAnEmptyTail() {
        assertEquals("", OutputTail.of("\n"));
        assertEquals("", OutputTail.of((String) null));
    }
}
