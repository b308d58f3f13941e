package io.longshore.deploy.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.apply.LiveStack.LiveService;
import io.longshore.deploy.apply.UpdatePlan.ServiceChange;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The update from a live stack to a target plan, decided without an engine. */
class UpdatePlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode spec(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static DeployPlan.ServicePlan service(String name, String image, String configs) {
        return new DeployPlan.ServicePlan("s_" + name, name, spec("""
                {"Name": "s_%s", "Labels": {"app.version": "%s"},
                 "TaskTemplate": {"ContainerSpec": {"Image": "%s", "Env": ["A=1"], "Configs": [%s]}}}
                """.formatted(name, image, image, configs)));
    }

    private static FileObjectPlan config(String name, String content) {
        return new FileObjectPlan(name, new DataSource.Content(content), spec("{\"Name\": \"" + name + "\"}"));
    }

    private static DeployPlan target(List<DeployPlan.ServicePlan> services, List<FileObjectPlan> configs) {
        return new DeployPlan("s", List.of(new DeployPlan.NetworkPlan("s_default", spec("{\"Name\":\"s_default\"}"))), List.of(), configs,
                List.of(), services, new DeployPlan.Externals(List.of(), List.of(), List.of(), List.of()), List.of());
    }

    private static String sha(String s) {
        return ObjectData.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void servicesThatRunAreUpdatedInPlaceAtTheirVersionNewOnesCreatedAndDroppedOnesRemoved() {
        LiveStack live = new LiveStack("s", Map.of(
                "s_app", new LiveService("s_app", "id-app", 41L, service("app", "app:1", "").spec()),
                "s_legacy", new LiveService("s_legacy", "id-legacy", 7L, service("legacy", "legacy:1", "").spec())),
                Set.of("s_default"), Set.of(), Map.of());
        UpdatePlan u = UpdatePlanner.plan(live, target(List.of(service("app", "app:2", ""), service("worker", "w:1", "")), List.of()), Map.of());

        ServiceChange.Update app = assertInstanceOf(ServiceChange.Update.class, u.services().get(0));
        assertEquals("id-app", app.id());
        assertEquals(41L, app.version());
        assertEquals(List.of("image app:1 → app:2", "label app.version app:1 → app:2"), app.changes());
        assertInstanceOf(ServiceChange.Create.class, u.services().get(1));
        assertEquals(List.of(new UpdatePlan.Removal("s_legacy", "id-legacy")), u.removeServices());
        assertEquals(List.of(), u.createNetworks());
        assertEquals(List.of("network s_default"), u.kept());
    }

    @Test
    void aConfigWhoseContentChangedIsRecreatedUnderItsDigestAndItsServicesPointThere() {
        String ref = "{\"ConfigName\": \"s_conf\", \"File\": {\"Name\": \"/etc/app.conf\"}}";
        LiveStack live = new LiveStack("s", Map.of("s_app", new LiveService("s_app", "id", 3L, service("app", "app:1", ref).spec())),
                Set.of("s_default"), Set.of(), Map.of("s_conf", sha("v1")));
        UpdatePlan u = UpdatePlanner.plan(live, target(List.of(service("app", "app:1", ref)), List.of(config("s_conf", "v2"))), Map.of());

        String renamed = "s_conf_" + sha("v2").substring(0, 8);
        assertEquals(List.of(new UpdatePlan.Recreated("s_conf", renamed, sha("v1"), sha("v2"))), u.recreatedConfigs());
        assertEquals(List.of(renamed), u.createConfigs().stream().map(FileObjectPlan::name).toList());
        assertEquals(renamed, u.createConfigs().getFirst().spec().path("Name").asText());
        ServiceChange.Update app = (ServiceChange.Update) u.services().getFirst();
        assertEquals(renamed, app.target().spec().path("TaskTemplate").path("ContainerSpec").path("Configs").path(0).path("ConfigName").asText());
        assertEquals(List.of("configs changed"), app.changes());
    }

    @Test
    void aConfigAlreadyRecreatedByAnEarlierUpdateIsReusedNotCreatedTwice() {
        String renamed = "s_conf_" + sha("v2").substring(0, 8);
        LiveStack live = new LiveStack("s", Map.of(), Set.of("s_default"), Set.of(), Map.of("s_conf", sha("v1"), renamed, sha("v2")));
        UpdatePlan u = UpdatePlanner.plan(live, target(List.of(), List.of(config("s_conf", "v2"))), Map.of());
        assertEquals(List.of(), u.createConfigs());
        assertEquals(1, u.recreatedConfigs().size());
    }

    @Test
    void unchangedConfigsAndMissingObjectsAreKeptAndCreated() {
        LiveStack live = new LiveStack("s", Map.of(), Set.of(), Set.of(), Map.of("s_conf", sha("same")));
        UpdatePlan u = UpdatePlanner.plan(live, target(List.of(), List.of(config("s_conf", "same"), config("s_new", "x"))), Map.of());
        assertEquals(List.of("s_new"), u.createConfigs().stream().map(FileObjectPlan::name).toList());
        assertEquals(List.of("s_default"), u.createNetworks().stream().map(DeployPlan.NetworkPlan::name).toList());
        assertEquals(List.of("config s_conf"), u.kept());
    }

    @Test
    void anEnvChangeNamesTheVariableButNeverItsValue() {
        ObjectNode before = service("app", "app:1", "").spec();
        ObjectNode after = before.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) after.path("TaskTemplate").path("ContainerSpec").path("Env")).removeAll()
                .add("A=s3cret").add("B=2");
        assertEquals(List.of("env A changed", "env B added"), UpdatePlanner.changes(before, after));
    }
}
