package io.longshore.kit.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import io.longshore.kit.settings.SettingFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records steps and warnings from the event sink and writes the JSON report
 * ({@code PLUGIN_REPORT}). The file is written to a temporary name and moved into place so a
 * reader never sees half a report.
 */
public final class Report implements Events {
    /** The report's JSON mapper. */
    public static ObjectMapper json() {
        return Json.MAPPER;
    }

    /** Made when a report is written, not when a plugin starts: --help and exit 2 need no Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                // after the JavaTimeModule, so that a duration reads as the settings write it (20s), not PT20S
                .registerModule(new SimpleModule("durations-as-settings-write-them")
                        .addSerializer(Duration.class, new ToStringSerializerBase(Duration.class) {
                            @Override
                            public String valueToString(Object value) {
                                return SettingFormats.formatDuration((Duration) value);
                            }
                        }))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** {@code number} and {@code of}: its place among the steps the job declared (null when it declared none or not this one). */
    public record StepRecord(String name, Integer number, Integer of, Instant startedAt, long durationMs) {}

    private final List<StepRecord> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final StepNumbers numbers = new StepNumbers();
    private String currentStep;
    private int currentNumber;
    private Instant currentStart;

    @Override
    public void planSteps(java.util.List<String> names) {
        numbers.plan(names);
    }

    @Override
    public synchronized void step(String name) {
        closeStep(Instant.now());
        currentStep = name;
        currentNumber = numbers.number(name);
        currentStart = Instant.now();
    }

    @Override
    public void progress(String message) {}

    @Override
    public synchronized void warn(String message) {
        warnings.add(message);
    }

    private void closeStep(Instant now) {
        if (currentStep != null) {
            steps.add(new StepRecord(currentStep, currentNumber > 0 ? currentNumber : null, currentNumber > 0 ? numbers.total() : null,
                    currentStart, Duration.between(currentStart, now).toMillis()));
            currentStep = null;
        }
    }

    /** The report document; {@code details} is the plugin's own part. */
    public synchronized ObjectNode document(String plugin, String version, String outcome, int exitCode,
                                            Instant startedAt, Duration took, String summary, Object ci, Object details) {
        closeStep(Instant.now());
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("plugin", plugin);
        doc.put("version", version);
        doc.put("outcome", outcome);
        doc.put("exitCode", exitCode);
        doc.put("startedAt", startedAt.toString());
        doc.put("durationMs", took.toMillis());
        doc.put("summary", summary);
        doc.set("ci", Json.MAPPER.valueToTree(ci));
        doc.set("steps", Json.MAPPER.valueToTree(steps));
        doc.set("warnings", Json.MAPPER.valueToTree(warnings));
        doc.set("details", details == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.valueToTree(details));
        return doc;
    }

    public static void write(Path path, ObjectNode document, Masker masker) throws IOException {
        String text = masker.mask(Json.MAPPER.writeValueAsString(document)) + "\n";
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".report-", ".json");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
