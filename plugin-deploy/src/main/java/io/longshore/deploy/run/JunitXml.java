package io.longshore.deploy.run;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes stage results as JUnit XML: one {@code testsuite} per stage, one {@code testcase} per
 * command (a stage without commands is one testcase for the stage itself), with failure messages
 * and the output tail — what Jenkins, GitLab and every JUnit viewer read.
 */
public final class JunitXml {
    private JunitXml() {}

    public static void write(Path file, String suitePrefix, List<StageResult> stages, Instant timestamp) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", clean(suitePrefix));
            x.writeAttribute("tests", String.valueOf(stages.stream().mapToInt(s -> Math.max(1, s.commands().size())).sum()));
            x.writeAttribute("failures", String.valueOf(count(stages, Status.FAIL)));
            x.writeAttribute("skipped", String.valueOf(count(stages, Status.SKIPPED)));
            x.writeAttribute("time", seconds(stages.stream().map(StageResult::duration).reduce(Duration.ZERO, Duration::plus)));
            for (StageResult stage : stages) {
                writeSuite(x, suitePrefix, stage, timestamp);
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeSuite(XMLStreamWriter x, String prefix, StageResult stage, Instant timestamp) throws XMLStreamException {
        List<CommandResult> cases = stage.commands().isEmpty()
                ? List.of(new CommandResult(stage.name(), "stage", stage.status(), stage.duration(), null, stage.message(), stage.outputTail()))
                : stage.commands();
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", clean(prefix + "." + stage.name()));
        x.writeAttribute("tests", String.valueOf(cases.size()));
        x.writeAttribute("failures", String.valueOf(cases.stream().filter(c -> c.status() == Status.FAIL).count()));
        x.writeAttribute("skipped", String.valueOf(cases.stream().filter(c -> c.status() == Status.SKIPPED).count()));
        x.writeAttribute("errors", "0");
        x.writeAttribute("time", seconds(stage.duration()));
        x.writeAttribute("timestamp", timestamp.toString());
        if (!stage.commands().isEmpty() && stage.status() != Status.PASS && stage.message() != null) {
            // the stage failed or was skipped outside any command (deploy, converge, health)
            x.writeCharacters("\n    ");
            x.writeStartElement("properties");
            x.writeEmptyElement("property");
            x.writeAttribute("name", "stage.result");
            x.writeAttribute("value", clean(stage.status() + ": " + stage.message()));
            x.writeEndElement();
        }
        for (CommandResult c : cases) {
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", clean(prefix + "." + stage.name() + (c.kind() == null ? "" : "." + c.kind())));
            x.writeAttribute("name", clean(c.name()));
            x.writeAttribute("time", seconds(c.duration()));
            switch (c.status()) {
                case FAIL -> {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", clean(c.message() == null ? "failed" : c.message()));
                    x.writeAttribute("type", clean(c.exitCode() == null ? "error" : "exit " + c.exitCode()));
                    x.writeCharacters(clean(c.outputTail() == null ? "" : c.outputTail()));
                    x.writeEndElement();
                }
                case SKIPPED -> {
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", clean(c.message() == null ? "skipped" : c.message()));
                }
                case PASS -> {
                    if (c.outputTail() != null && !c.outputTail().isEmpty()) {
                        x.writeStartElement("system-out");
                        x.writeCharacters(clean(c.outputTail()));
                        x.writeEndElement();
                    }
                }
            }
            x.writeEndElement();
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static long count(List<StageResult> stages, Status status) {
        return stages.stream().mapToLong(s -> s.commands().isEmpty()
                ? (s.status() == status ? 1 : 0)
                : s.commands().stream().filter(c -> c.status() == status).count()).sum();
    }

    /** Characters XML 1.0 cannot carry (NUL, ESC of terminal colours, ...) become U+FFFD. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            sb.appendCodePoint(ok ? cp : 0xFFFD);
        });
        return sb.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
