package io.longshore.prune.gate;

import java.util.Map;

/** One gate's verdict with the numbers behind it, for the console and the report. */
public record GateResult(String gate, boolean open, String reason, Map<String, Object> numbers) {
    public static GateResult open(String gate, String reason, Map<String, Object> numbers) {
        return new GateResult(gate, true, reason, numbers);
    }

    public static GateResult closed(String gate, String reason, Map<String, Object> numbers) {
        return new GateResult(gate, false, reason, numbers);
    }
}
