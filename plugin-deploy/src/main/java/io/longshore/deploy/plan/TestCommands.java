package io.longshore.deploy.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.settings.StringList;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code tests}, {@code seed} and {@code verify}: each item is either a JSON object
 * {@code {name, service, command, timeout, image}} (what both CIs send for a YAML list of maps)
 * or a {@code service: command} string. Every problem is an invalid setting naming the variable.
 */
public final class TestCommands {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("name", "service", "command", "timeout", "image");

    private TestCommands() {}

    public static List<TestCommand> parse(StringList items, String option) throws InvalidSettingException {
        List<TestCommand> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        int n = 0;
        for (String raw : items.values()) {
            n++;
            String item = raw.trim();
            out.add(item.startsWith("{") ? fromJson(item, option, n) : fromShortForm(item, option, n));
        }
        return out;
    }

    private static TestCommand fromShortForm(String item, String option, int n) throws InvalidSettingException {
        int colon = item.indexOf(':');
        if (colon <= 0 || item.substring(colon + 1).isBlank()) {
            throw InvalidSettingException.of(option, "item " + n + " '" + item + "' is not 'service: command' "
                    + "or a {name, service, command, timeout, image} map");
        }
        String service = item.substring(0, colon).trim();
        String command = item.substring(colon + 1).trim();
        return new TestCommand(service + ": " + command, service, List.of("sh", "-c", command), TestCommand.DEFAULT_TIMEOUT, null);
    }

    private static TestCommand fromJson(String item, String option, int n) throws InvalidSettingException {
        JsonNode node;
        try {
            node = JSON.readTree(item);
        } catch (IOException e) {
            throw InvalidSettingException.of(option, "item " + n + " is not valid JSON; use {name, service, command, timeout, image}");
        }
        if (node.isObject() && node.size() == 1 && !KEYS.contains(node.fieldNames().next()) && node.elements().next().isTextual()) {
            // YAML's "- web: echo marker > /data/marker" is a one-key map, and the CI sends it as JSON
            String service = node.fieldNames().next();
            return fromShortForm(service + ": " + node.get(service).asText(), option, n);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw InvalidSettingException.of(option, "item " + n + " has an unknown key '" + key + "'; use " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String service = text(node, "service");
        String image = text(node, "image");
        if (service == null && image == null) {
            throw InvalidSettingException.of(option, "item " + n + " names neither a service to exec in nor an image to run");
        }
        JsonNode cmd = node.path("command");
        List<String> argv = new ArrayList<>();
        if (cmd.isTextual() && !cmd.asText().isBlank()) {
            argv.addAll(List.of("sh", "-c", cmd.asText()));
        } else if (cmd.isArray() && !cmd.isEmpty()) {
            cmd.forEach(c -> argv.add(c.asText()));
        } else {
            throw InvalidSettingException.of(option, "item " + n + " has no command (a string, or a list for the exec form)");
        }
        Duration timeout = TestCommand.DEFAULT_TIMEOUT;
        String t = text(node, "timeout");
        if (t != null) {
            try {
                timeout = SettingFormats.parseDuration(t);
            } catch (IllegalArgumentException e) {
                throw InvalidSettingException.of(option, "item " + n + ": " + e.getMessage());
            }
        }
        String name = text(node, "name");
        if (name == null) {
            name = (service != null ? service : image) + ": " + String.join(" ", argv.size() == 3 && argv.get(0).equals("sh") ? argv.subList(2, 3) : argv);
        }
        return new TestCommand(name, service, argv, timeout, image);
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
