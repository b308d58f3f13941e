package io.longshore.deploy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlTest {
    @Test
    void writesOneSuitePerStageAndOneCasePerCommandThatParsesBack(@TempDir Path dir) throws Exception {
        List<StageResult> stages = List.of(
                new StageResult("install", Status.FAIL, Duration.ofSeconds(12), "1 command failed", null, List.of(
                        new CommandResult("web: true", "tests", Status.PASS, Duration.ofMillis(300), 0, null, "ok"),
                        new CommandResult("web: false", "tests", Status.FAIL, Duration.ofMillis(200), 1, "exit code 1",
                                "\u001b[31mboom\u001b[0m <&> \u0000"))),
                StageResult.skipped("upgrade", "no previous release tag"));
        Path file = dir.resolve("out/junit.xml");
        JunitXml.write(file, "deploy", stages, Instant.parse("2026-11-21T12:00:00Z"));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("3", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("skipped"));
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength());
        assertEquals("deploy.install", ((Element) suites.item(0)).getAttribute("name"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("exit code 1", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("boom"), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("<&>"), failure.getTextContent());
        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertEquals("no previous release tag", skipped.getAttribute("message"));
    }
}
