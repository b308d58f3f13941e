package io.longshore.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.convert.DeployPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DeployPlan.ServicePlan service(String name, Map<String, String> labels, String... mounts) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("Name", "app_" + name);
        ObjectNode l = spec.putObject("Labels");
        labels.forEach(l::put);
        var m = spec.putObject("TaskTemplate").putObject("ContainerSpec").putArray("Mounts");
        for (String mount : mounts) {
            String[] p = mount.split(":");
            m.addObject().put("Type", p[0].startsWith("/") ? "bind" : "volume").put("Source", p[0]).put("Target", p[1]);
        }
        return new DeployPlan.ServicePlan("app_" + name, name, spec);
    }

    private static BackupSelection read(DeployPlan.ServicePlan... services) {
        return BackupLabels.read(new DeployPlan("app", List.of(), List.of(), List.of(), List.of(), List.of(services),
                new DeployPlan.Externals(List.of(), List.of(), List.of(), List.of()), List.of()));
    }

    @Test
    void aServiceTakesPartWithEveryNamedVolumeItMounts() {
        BackupSelection s = read(service("db", Map.of("backupbot.backup", "TRUE"), "app_db-data:/var/lib/db", "app_logs:/logs", "/srv:/srv"),
                service("web", Map.of(), "app_www:/www"));
        assertEquals(1, s.services().size());
        ServiceBackup db = s.services().getFirst();
        assertEquals("app_db", db.service());
        assertEquals(List.of(new VolumeBackup("db-data", "app_db-data", "/var/lib/db", List.of()),
                new VolumeBackup("logs", "app_logs", "/logs", List.of())), db.volumes());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void aVolumeSetToFalseIsLeftOutAndPathsLimitAnother() {
        BackupSelection s = read(service("db", Map.of("backupbot.backup", "true", "backupbot.backup.volumes.logs", "False",
                "backupbot.backup.volumes.db-data.path", "/dump.sql, dumps/ ,"), "app_db-data:/var/lib/db", "app_logs:/logs"));
        VolumeBackup v = s.services().getFirst().volumes().getFirst();
        assertEquals(1, s.services().getFirst().volumes().size());
        assertEquals(List.of("dump.sql", "dumps"), v.paths());
        assertEquals(List.of("/var/lib/db/dump.sql", "/var/lib/db/dumps"), v.sources());
        assertEquals(List.of("db: db-data at /var/lib/db (dump.sql, dumps)"), s.lines());
    }

    @Test
    void readsTheFourHooks() {
        BackupSelection s = read(service("db", Map.of("backupbot.backup", "true", "backupbot.backup.pre-hook", "dump",
                "backupbot.restore.post-hook", "load"), "app_db-data:/d"));
        ServiceBackup.Hooks h = s.services().getFirst().hooks();
        assertEquals("dump", h.backupPre());
        assertNull(h.backupPost());
        assertNull(h.restorePre());
        assertEquals("load", h.restorePost());
        assertEquals(List.of("backup pre-hook: dump", "restore post-hook: load"), h.lines());
    }

    @Test
    void aServiceWithoutTheLabelOrWithFalseDoesNotTakePart() {
        assertEquals(List.of(), read(service("db", Map.of("backupbot.backup", "false"), "app_d:/d"), service("x", Map.of(), "app_e:/e"))
                .services());
    }

    @Test
    void anUnknownKeyWarnsWithTheClosestRealOne() {
        List<String> w = read(service("db", Map.of("backupbot.backup", "true", "backupbot.backup.pre_hook", "x",
                "backupbot.backup.volumes.db-dta.path", "a"), "app_db-data:/d")).warnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("backupbot.backup.pre_hook") && w.get(0).contains("did you mean backupbot.backup.pre-hook?")
                || w.get(1).contains("did you mean backupbot.backup.pre-hook?"), w.toString());
        assertTrue(String.join("\n", w).contains("did you mean backupbot.backup.volumes.db-data.path?"), w.toString());
    }

    @Test
    void theOlderPathKeyPointsAtThePerVolumeOne() {
        List<String> w = new ArrayList<>(read(service("db", Map.of("backupbot.backup", "true", "backupbot.backup.path", "/d/x"),
                "app_db-data:/d")).warnings());
        assertEquals(List.of("service db: the label backupbot.backup.path is not a backupbot key; did you mean "
                + "backupbot.backup.volumes.db-data.path?"), w);
    }
}
