package io.longshore.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.SettingFormats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCommandsTest {
    @Test
    void readsTheServiceColonCommandShortForm() throws Exception {
        List<TestCommand> cmds = TestCommands.parse(SettingFormats.parseList("web: test -f /www/index.html"), "--tests");
        assertEquals(1, cmds.size());
        assertEquals("web", cmds.get(0).service());
        assertEquals(List.of("sh", "-c", "test -f /www/index.html"), cmds.get(0).argv());
        assertEquals("web: test -f /www/index.html", cmds.get(0).name());
    }

    @Test
    void readsMapsAsBothCisSendAYamlListOfMaps() throws Exception {
        String json = "[{\"name\":\"marker\",\"service\":\"db\",\"command\":[\"cat\",\"/data/marker\"],\"timeout\":\"30s\"},"
                + "{\"image\":\"busybox\",\"command\":\"echo hi\"}]";
        List<TestCommand> cmds = TestCommands.parse(SettingFormats.parseList(json), "--verify");
        assertEquals("marker", cmds.get(0).name());
        assertEquals(List.of("cat", "/data/marker"), cmds.get(0).argv());
        assertEquals(Duration.ofSeconds(30), cmds.get(0).timeout());
        assertEquals("busybox", cmds.get(1).image());
        assertEquals(TestCommand.DEFAULT_TIMEOUT, cmds.get(1).timeout());
    }

    @Test
    void readsTheYamlShortFormTheCisSendAsAOneKeyMap() throws Exception {
        // "seed: [web: echo marker > /data/marker]" in .drone.yml arrives as a list holding one map
        List<TestCommand> cmds = TestCommands.parse(SettingFormats.parseList("[{\"web\":\"echo marker > /data/marker\"}]"), "--seed");
        assertEquals("web", cmds.getFirst().service());
        assertEquals(List.of("sh", "-c", "echo marker > /data/marker"), cmds.getFirst().argv());
        assertEquals("web: echo marker > /data/marker", cmds.getFirst().name());
    }

    @Test
    void namesTheVariableAndTheItemForEveryMistake() {
        for (String bad : List.of("[\"no colon here\"]", "[{\"service\":\"web\"}]", "[{\"command\":\"x\"}]",
                "[{\"service\":\"web\",\"command\":\"x\",\"timeout\":\"soon\"}]", "[{\"service\":\"w\",\"command\":\"x\",\"retries\":3}]")) {
            var e = assertThrows(InvalidSettingException.class, () -> TestCommands.parse(SettingFormats.parseList(bad), "--tests"), bad);
            assertTrue(e.getMessage().startsWith("PLUGIN_TESTS: item 1"), e.getMessage());
        }
    }
}
