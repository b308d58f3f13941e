package io.longshore.deploy.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.recipe.Recipe.GeneratedSecret;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.deploy.recipe.SecretCharset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> RUN = Map.of("io.longshore.run", "st");

    private static DeployPlan plan(String yaml) {
        return plan(yaml, List.of());
    }

    private static DeployPlan plan(String yaml, List<GeneratedSecret> generated) {
        var model = ComposeProject.parse("compose.yml", yaml, Path.of("/r"), Map.of("FROM_ENV", "e"), new ArrayList<>());
        return StackConverter.convert(model, "st", RUN, Map.of("FROM_ENV", "e"), generated);
    }

    private static void assertJson(String expected, JsonNode actual) throws Exception {
        assertEquals(JSON.readTree(expected), JSON.readTree(actual.toString()));
    }

    @Test
    void anImageWithoutATagGetsLatestAsTheCliSendsItWhileTheImageLabelKeepsWhatTheRecipeWrote() {
        DeployPlan p = plan("""
                services:
                  db: {image: mariadb}
                  app: {image: docker.io/library/wordpress:5.7.2}
                """);
        assertEquals(List.of("wordpress:5.7.2", "mariadb:latest"),
                p.services().stream().map(s -> s.spec().path("TaskTemplate").path("ContainerSpec").path("Image").asText()).toList());
        assertEquals(List.of("docker.io/library/wordpress:5.7.2", "mariadb"),
                p.services().stream().map(s -> s.spec().path("Labels").path("com.docker.stack.image").asText()).toList());
    }

    @Test
    void convertsAServiceAsDockerStackDeployDoes() throws Exception {
        DeployPlan p = plan("""
                services:
                  web:
                    image: busybox:1
                    entrypoint: [/bin/sh]
                    command: [-c, "httpd -f"]
                    hostname: web-host
                    user: "1000:1000"
                    working_dir: /www
                    environment: [B=2, A=1, FROM_ENV, UNSET]
                    labels: {c: "1"}
                    stop_grace_period: 1m30s
                    stop_signal: SIGUSR1
                    init: true
                    read_only: true
                    extra_hosts: ["db:10.0.0.2"]
                    dns: [1.1.1.1]
                    dns_search: [example.com]
                    cap_add: [net_admin, CAP_SYS_TIME]
                    cap_drop: [NET_ADMIN, mknod]
                    sysctls: {net.core.somaxconn: 1024}
                    ulimits: {nofile: {soft: 10, hard: 20}, core: 0}
                    logging: {driver: json-file, options: {max-size: 1m}}
                    healthcheck: {test: [CMD, true], interval: 5s, timeout: 2s, retries: 3, start_period: 1s}
                    deploy:
                      replicas: 2
                      labels: {traefik.enable: "true"}
                      endpoint_mode: DNSRR
                      placement:
                        constraints: [node.role==manager]
                        preferences: [{spread: node.labels.zone}]
                        max_replicas_per_node: 1
                      resources:
                        limits: {cpus: "0.5", memory: 64M, pids: 100}
                        reservations: {cpus: "0.25", memory: 1k}
                      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}
                      update_config: {delay: 10s, failure_action: rollback, order: start-first, monitor: 1s, max_failure_ratio: 0.5}
                      rollback_config: {parallelism: 2}
                    ports:
                      - "8080:80"
                      - {target: 81, published: 8081, mode: host}
                """);
        assertEquals(1, p.services().size());
        assertJson("""
                {"Name":"st_web",
                 "Labels":{"traefik.enable":"true","io.longshore.run":"st","com.docker.stack.namespace":"st","com.docker.stack.image":"busybox:1"},
                 "TaskTemplate":{
                   "ContainerSpec":{"Image":"busybox:1","Labels":{"c":"1","com.docker.stack.namespace":"st"},
                     "Command":["/bin/sh"],"Args":["-c","httpd -f"],"Hostname":"web-host",
                     "Hosts":["10.0.0.2 db"],"DNSConfig":{"Nameservers":["1.1.1.1"],"Search":["example.com"]},
                     "Healthcheck":{"Test":["CMD","true"],"Interval":5000000000,"Timeout":2000000000,"StartPeriod":1000000000,"Retries":3},
                     "Env":["A=1","B=2","FROM_ENV=e","UNSET"],"Dir":"/www","User":"1000:1000",
                     "StopGracePeriod":90000000000,"StopSignal":"SIGUSR1","ReadOnly":true,"Init":true,
                     "Sysctls":{"net.core.somaxconn":"1024"},
                     "CapabilityAdd":["CAP_NET_ADMIN","CAP_SYS_TIME"],"CapabilityDrop":["CAP_MKNOD"],
                     "Ulimits":[{"Name":"core","Soft":0,"Hard":0},{"Name":"nofile","Soft":10,"Hard":20}]},
                   "LogDriver":{"Name":"json-file","Options":{"max-size":"1m"}},
                   "Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864,"Pids":100},
                                "Reservations":{"NanoCPUs":250000000,"MemoryBytes":1024}},
                   "RestartPolicy":{"Condition":"on-failure","Delay":5000000000,"MaxAttempts":3,"Window":60000000000},
                   "Placement":{"Constraints":["node.role==manager"],"Preferences":[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}],"MaxReplicas":1},
                   "Networks":[{"Target":"st_default","Aliases":["web"]}]},
                 "Mode":{"Replicated":{"Replicas":2}},
                 "UpdateConfig":{"Parallelism":1,"Delay":10000000000,"FailureAction":"rollback","Monitor":1000000000,"MaxFailureRatio":0.5,"Order":"start-first"},
                 "RollbackConfig":{"Parallelism":2},
                 "EndpointSpec":{"Mode":"dnsrr","Ports":[
                   {"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"},
                   {"Protocol":"tcp","TargetPort":81,"PublishedPort":8081,"PublishMode":"host"}]}}
                """, p.services().getFirst().spec());
        assertEquals(List.of("st_default"), p.networks().stream().map(DeployPlan.NetworkPlan::name).toList());
        assertJson("""
                {"Name":"st_default","CheckDuplicate":true,"Driver":"overlay",
                 "Labels":{"io.longshore.run":"st","com.docker.stack.namespace":"st"}}""", p.networks().getFirst().spec());
        assertEquals(List.of(), p.warnings());
    }

    @Test
    void scopesSecretsConfigsVolumesAndNetworksUnlessNamedOrExternal() throws Exception {
        DeployPlan p = plan("""
                services:
                  app:
                    image: busybox
                    networks: {back: {aliases: [db]}, proxy: null}
                    secrets: [pw, {source: ext, target: /run/x, uid: "1", gid: "2", mode: 0400}]
                    configs: [{source: conf, target: /etc/app.conf}]
                    volumes: ["data:/data:nocopy", "shared:/shared", {type: tmpfs, target: /tmp, tmpfs: {size: 1m}}, "/anon"]
                networks:
                  back: {driver_opts: {encrypted: ""}, attachable: true, labels: {l: v}}
                  proxy: {external: true, name: traefik_proxy}
                secrets:
                  pw: {file: ./pw.txt}
                  ext: {external: true, name: "shared_secret"}
                configs:
                  conf: {file: ./app.conf, template_driver: golang, name: fixed_conf}
                volumes:
                  data: {driver_opts: {type: none}, labels: {keep: "1"}}
                  shared: {external: true}
                """);
        JsonNode c = p.services().getFirst().spec().at("/TaskTemplate/ContainerSpec");
        assertJson("""
                [{"File":{"Name":"/run/x","UID":"1","GID":"2","Mode":256},"SecretName":"shared_secret"},
                 {"File":{"Name":"pw","UID":"0","GID":"0","Mode":292},"SecretName":"st_pw"}]""", c.get("Secrets"));
        assertJson("""
                [{"File":{"Name":"/etc/app.conf","UID":"0","GID":"0","Mode":292},"ConfigName":"fixed_conf"}]""", c.get("Configs"));
        assertJson("""
                [{"Type":"volume","Target":"/data","Source":"st_data","VolumeOptions":{"NoCopy":true,
                   "Labels":{"keep":"1","io.longshore.run":"st","com.docker.stack.namespace":"st"},
                   "DriverConfig":{"Options":{"type":"none"}}}},
                 {"Type":"volume","Target":"/shared","Source":"shared","VolumeOptions":{}},
                 {"Type":"tmpfs","Target":"/tmp","TmpfsOptions":{"SizeBytes":1048576}},
                 {"Type":"volume","Target":"/anon","VolumeOptions":{"Labels":{"io.longshore.run":"st"}}}]""",
                c.get("Mounts"));
        assertJson("""
                [{"Target":"st_back","Aliases":["db","app"]},{"Target":"traefik_proxy","Aliases":["app"]}]""",
                p.services().getFirst().spec().at("/TaskTemplate/Networks"));
        assertEquals(List.of("st_back"), p.networks().stream().map(DeployPlan.NetworkPlan::name).toList());
        assertJson("""
                {"Name":"st_back","CheckDuplicate":true,"Driver":"overlay","Options":{"encrypted":""},"Attachable":true,
                 "Labels":{"l":"v","io.longshore.run":"st","com.docker.stack.namespace":"st"}}""", p.networks().getFirst().spec());
        assertEquals(new DeployPlan.Externals(List.of("traefik_proxy"), List.of("shared_secret"), List.of(), List.of("shared")), p.externals());
        assertEquals("st_pw", p.secrets().getFirst().name());
        assertEquals(new DataSource.File("/r/pw.txt"), p.secrets().getFirst().source());
        assertJson("{\"Name\":\"fixed_conf\",\"Labels\":{\"io.longshore.run\":\"st\",\"com.docker.stack.namespace\":\"st\"},"
                + "\"Templating\":{\"Name\":\"golang\"}}", p.configs().getFirst().spec());
        assertEquals(List.of("st_data"), p.volumes().stream().map(DeployPlan.VolumePlan::name).toList());
    }

    @Test
    void generatedSecretsAreCreatedAndNotExpectedToExist() {
        DeployPlan p = plan("""
                services: {db: {image: busybox, secrets: [db_password]}}
                secrets:
                  db_password: {external: true, name: st_db_password_v1}
                """, List.of(new GeneratedSecret("st_db_password_v1", 40, "SECRET_DB_PASSWORD_VERSION")));
        assertEquals(List.of(), p.externals().secrets());
        assertEquals(new DataSource.Random(40, SecretCharset.ALNUM), p.secrets().getFirst().source());
        assertTrue(!p.render().contains("\"Data\""));
        assertEquals("st_db_password_v1", p.services().getFirst().spec().at("/TaskTemplate/ContainerSpec/Secrets/0/SecretName").asText());
    }

    @Test
    void convertsEveryServiceMode() {
        assertEquals("{\"Global\":{}}", plan("services: {a: {image: b, deploy: {mode: global}}}").services().getFirst().spec().get("Mode").toString());
        assertEquals("{\"ReplicatedJob\":{\"MaxConcurrent\":3,\"TotalCompletions\":3}}",
                plan("services: {a: {image: b, deploy: {mode: replicated-job, replicas: 3}}}").services().getFirst().spec().get("Mode").toString());
        assertEquals("{\"GlobalJob\":{}}", plan("services: {a: {image: b, deploy: {mode: global-job}}}").services().getFirst().spec().get("Mode").toString());
        assertEquals("{\"Replicated\":{}}", plan("services: {a: {image: b}}").services().getFirst().spec().get("Mode").toString());
        RecipeException e = assertThrows(RecipeException.class, () -> plan("services: {a: {image: b, deploy: {mode: global, replicas: 2}}}"));
        assertTrue(e.getMessage().contains("replicas can only be used"), e.getMessage());
    }

    @Test
    void fallsBackToTheLegacyRestartKey() {
        assertEquals("{\"Condition\":\"on-failure\",\"MaxAttempts\":4}",
                plan("services: {a: {image: b, restart: \"on-failure:4\"}}").services().getFirst().spec().at("/TaskTemplate/RestartPolicy").toString());
        assertEquals("{\"Condition\":\"any\"}",
                plan("services: {a: {image: b, restart: unless-stopped}}").services().getFirst().spec().at("/TaskTemplate/RestartPolicy").toString());
    }

    @Test
    void namesUnsupportedKeysInWarnings() {
        DeployPlan p = plan("""
                services:
                  a:
                    image: b
                    build: .
                    privileged: true
                    deploy: {resources: {limits: {devices: []}}, rollback_config: {bogus: 1}}
                    healthcheck: {test: [CMD, x], start_interval: 1s}
                """);
        assertEquals(List.of("service a: build is not supported by Swarm and is ignored",
                "service a: privileged is not supported by Swarm and is ignored",
                "service a healthcheck: start_interval is not supported and is ignored",
                "service a resources limits: devices is not supported and is ignored",
                "service a rollback_config: bogus is not supported and is ignored"), p.warnings());
    }

    @Test
    void failsOnUndefinedReferences() {
        assertThrows(RecipeException.class, () -> plan("services: {a: {image: b, networks: [nope]}}"));
        assertThrows(RecipeException.class, () -> plan("services: {a: {image: b, secrets: [nope]}}"));
        assertThrows(RecipeException.class, () -> plan("services: {a: {image: b, volumes: [\"nope:/x\"]}}"));
        assertThrows(RecipeException.class, () -> plan("services: {a: {command: x}}"));
    }

    @Test
    void readsGoDurationsSizesAndCpus() {
        assertEquals(90_000_000_000L, Units.nanos("1m30s"));
        assertEquals(1_500_000L, Units.nanos("1.5ms"));
        assertEquals(0L, Units.nanos("0"));
        assertEquals(512L * 1024 * 1024, Units.ramBytes("512M"));
        assertEquals(1024L * 1024 * 1024, Units.ramBytes("1gb"));
        assertEquals(100, Units.ramBytes("100"));
        assertEquals(1_500_000_000L, Units.nanoCpus("1.5"));
        assertThrows(IllegalArgumentException.class, () -> Units.nanos("5 minutes"));
    }
}
