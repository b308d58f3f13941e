package io.longshore.kit.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiContextTest {
    @Test
    void readsDroneVariables() {
        CiContext ci = CiContext.from(Map.of("DRONE", "true", "DRONE_REPO", "team/app", "DRONE_BUILD_NUMBER", "7",
                "DRONE_BUILD_LINK", "https://drone.example/team/app/7"));
        assertEquals("drone", ci.system());
        assertEquals("https://drone.example/team/app/7", ci.owner());
    }

    @Test
    void prefersWoodpeckersOwnVariables() {
        CiContext ci = CiContext.from(Map.of("CI_SYSTEM_NAME", "woodpecker", "CI_REPO", "team/app",
                "CI_PIPELINE_NUMBER", "9", "DRONE_BUILD_NUMBER", "1"));
        assertEquals("woodpecker", ci.system());
        assertEquals("team/app#9", ci.owner());
    }

    @Test
    void hasNoOwnerOutsideACi() {
        assertNull(CiContext.from(Map.of()).owner());
    }
}
