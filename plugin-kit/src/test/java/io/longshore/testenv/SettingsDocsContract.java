package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.longshore.kit.settings.Setting;
import io.longshore.kit.settings.SettingsBinder;
import io.longshore.kit.settings.SettingsDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * Each plugin module extends this: the README's settings table and the plugin's docs.md must
 * match the setting declarations, docs.md must carry Woodpecker's plugin-index front matter, and
 * every sample pipeline step (or Kubernetes container) using this plugin's image may only use
 * settings it declares — a misspelt setting in a sample fails the build.
 */
public abstract class SettingsDocsContract {
    protected abstract Object command();

    private static boolean update() {
        return Boolean.getBoolean(SettingsDocs.UPDATE_PROPERTY);
    }

    @Test
    void theReadmeTableMatchesTheDeclarations() throws Exception {
        SettingsDocs.sync(Path.of("..", "README.md"), command(), update());
    }

    @Test
    void theDocsPageTableMatchesTheDeclarations() throws Exception {
        SettingsDocs.sync(Path.of("docs.md"), command(), update());
    }

    @Test
    void theDocsPageHasThePluginIndexFrontMatter() throws Exception {
        SettingsDocs.syncFrontMatter(Path.of("docs.md"), command(), update());
        assertEquals(List.of(), SettingsDocs.missingFrontMatter(Path.of("docs.md")));
    }

    @Test
    void theIconTheFrontMatterLinksIsInTheRepository() throws Exception {
        Path icon = Path.of("..", SettingsDocs.iconPath(SettingsDocs.name(command())));
        assertTrue(Files.isRegularFile(icon), icon + " is missing");
        assertTrue(Files.readString(icon).contains("<svg"), icon + " is not an SVG image");
    }

    @Test
    void everySampleUsesOnlySettingsThisPluginDeclares() throws Exception {
        String plugin = SettingsDocs.name(command());
        Set<String> keys = new TreeSet<>();
        Set<String> variables = new TreeSet<>();
        for (Setting s : SettingsBinder.settings(new CommandLine(command()).getCommandSpec())) {
            keys.add(s.key());
            variables.add(s.variable());
        }
        List<String> problems = new ArrayList<>();
        int uses = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("..", "samples"))) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            try (var parser = YAML.getFactory().createParser(file.toFile())) {
                for (var docs = YAML.readValues(parser, JsonNode.class); docs.hasNext(); ) {
                    List<JsonNode> users = new ArrayList<>();
                    collectUsers(docs.next(), plugin, users);
                    uses += users.size();
                    for (JsonNode step : users) {
                        step.path("settings").fieldNames().forEachRemaining(k -> {
                            if (!keys.contains(k)) {
                                problems.add(file + ": setting '" + k + "' is not a setting of " + plugin);
                            }
                        });
                        for (JsonNode env : step.path("env")) {
                            String name = env.path("name").asText();
                            if (name.startsWith(Setting.PREFIX) && !variables.contains(name)) {
                                problems.add(file + ": variable " + name + " is not a setting of " + plugin);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(uses > 0, "no sample uses longshore/" + plugin);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every map whose image is longshore/NAME (with or without a tag), wherever it sits in the document. */
    private static void collectUsers(JsonNode node, String plugin, List<JsonNode> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            String image = node.path("image").asText("");
            if (image.equals("longshore/" + plugin) || image.startsWith("longshore/" + plugin + ":")) {
                out.add(node);
            }
        }
        node.forEach(child -> collectUsers(child, plugin, out));
    }
}
