package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeVersionTest {
    @Test
    void readsTheRecipeConventionAndPlainSemver() {
        RecipeVersion v = RecipeVersion.parse("1.2.0+2.4.1-alpine");
        assertEquals(1, v.major());
        assertEquals("2.4.1-alpine", v.appVersion());
        assertEquals(10, RecipeVersion.parse("v0.3.10").patch());
        assertNull(RecipeVersion.parse("latest"));
        assertNull(RecipeVersion.parse("1.2"));
    }

    @Test
    void ordersByRecipeSemverWithPreReleasesFirstAndIgnoresTheAppVersion() {
        List<String> tags = List.of("1.10.0+1.0", "1.2.0+9.9", "1.2.0-rc.10+1", "1.2.0-rc.2+1", "0.9.0", "2.0.0-beta");
        List<RecipeVersion> vs = new ArrayList<>(tags.stream().map(RecipeVersion::parse).toList());
        Collections.sort(vs);
        assertEquals(List.of("0.9.0", "1.2.0-rc.2+1", "1.2.0-rc.10+1", "1.2.0+9.9", "1.10.0+1.0", "2.0.0-beta"),
                vs.stream().map(RecipeVersion::tag).toList());
    }
}
