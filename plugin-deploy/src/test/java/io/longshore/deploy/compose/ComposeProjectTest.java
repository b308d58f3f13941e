package io.longshore.deploy.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("/recipes/app");

    @TempDir
    Path tmp;

    private static ObjectNode parse(String yaml, Map<String, String> env, List<String> warnings) {
        return ComposeProject.parse("compose.yml", yaml, DIR, env, warnings);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void interpolatesValuesResolvesAnchorsAndDropsExtensions() throws Exception {
        List<String> warnings = new ArrayList<>();
        ObjectNode m = parse("""
                x-env: &env
                  A: "${A}"
                  B: ${B:-dflt}
                services:
                  web:
                    image: busybox:${TAG}
                    environment:
                      <<: *env
                      C: $$literal
                    deploy:
                      replicas: 2
                """, Map.of("A", "1", "TAG", "1.36"), warnings);
        assertEquals("busybox:1.36", m.at("/services/web/image").asText());
        assertEquals(json("{\"C\":\"$literal\",\"A\":\"1\",\"B\":\"dflt\"}"), m.at("/services/web/environment"));
        assertEquals(2, m.at("/services/web/deploy/replicas").asInt());
        assertTrue(!m.has("x-env"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void namesFileAndLineOfAnUnsetRequiredVariable() {
        RecipeException e = assertThrows(RecipeException.class, () -> parse("""
                services:
                  web:
                    image: busybox
                    environment:
                      PASSWORD: ${DB_PASSWORD:?the database password}
                """, Map.of(), new ArrayList<>()));
        assertEquals("compose.yml line 5: required variable DB_PASSWORD is missing a value: the database password", e.getMessage());
    }

    @Test
    void warnsOnceAboutAnUnsetVariable() {
        List<String> warnings = new ArrayList<>();
        parse("services: {web: {image: \"a$X\", hostname: \"$X\"}}\n", Map.of(), warnings);
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains("X (compose.yml line 1)"), warnings.getFirst());
    }

    @Test
    void turnsShortSyntaxIntoTheLongForm() throws Exception {
        ObjectNode m = parse("""
                services:
                  web:
                    image: busybox
                    command: sh -c 'echo "hi there"'
                    environment: [A=1, B]
                    labels: [x=y]
                    ports: ["8080:80", "127.0.0.1:9000-9001:90-91/udp", "70"]
                    volumes: ["data:/data:ro", "./conf:/etc/conf", "/cache", "/var/run/x:/x:rslave"]
                    secrets: [db]
                    networks: [front]
                    extra_hosts: {db: 10.0.0.1}
                    dns: 1.1.1.1
                    healthcheck: {test: "wget -q localhost"}
                    ulimits: {nofile: 1024, nproc: {soft: 1, hard: 2}}
                    configs:
                      - source: conf
                        target: /conf
                        mode: 0440
                """, Map.of(), new ArrayList<>());
        JsonNode web = m.at("/services/web");
        assertEquals(json("[\"sh\",\"-c\",\"echo \\\"hi there\\\"\"]"), web.get("command"));
        assertEquals(json("{\"A\":\"1\",\"B\":null}"), web.get("environment"));
        assertEquals(json("{\"x\":\"y\"}"), web.get("labels"));
        assertEquals(json("""
                [{"mode":"ingress","target":80,"published":8080,"protocol":"tcp"},
                 {"mode":"ingress","target":90,"published":9000,"protocol":"udp"},
                 {"mode":"ingress","target":91,"published":9001,"protocol":"udp"},
                 {"mode":"ingress","target":70,"protocol":"tcp"}]"""), web.get("ports"));
        assertEquals(json("""
                [{"type":"volume","source":"data","target":"/data","read_only":true},
                 {"type":"bind","source":"/recipes/app/conf","target":"/etc/conf"},
                 {"type":"volume","target":"/cache"},
                 {"type":"bind","source":"/var/run/x","target":"/x","bind":{"propagation":"rslave"}}]"""), web.get("volumes"));
        assertEquals(json("[{\"source\":\"db\"}]"), web.get("secrets"));
        assertEquals(json("{\"front\":null}"), web.get("networks"));
        assertEquals(json("[\"db:10.0.0.1\"]"), web.get("extra_hosts"));
        assertEquals(json("[\"1.1.1.1\"]"), web.get("dns"));
        assertEquals(json("[\"CMD-SHELL\",\"wget -q localhost\"]"), web.at("/healthcheck/test"));
        assertEquals(json("{\"nofile\":{\"soft\":1024,\"hard\":1024},\"nproc\":{\"soft\":1,\"hard\":2}}"), json(web.get("ulimits").toString()));
        assertEquals(0440, web.at("/configs/0/mode").asInt());
    }

    @Test
    void anOverlayPortReplacesTheBasesPortPublishedOnTheSameNumberAsTheCliMergesThem() throws Exception {
        List<String> w = new ArrayList<>();
        ObjectNode base = parse("services:\n  app:\n    image: traefik\n    ports: [\"80:80\", \"443:443\"]\n", Map.of(), w);
        ObjectNode host = parse("""
                services:
                  app:
                    ports:
                      - {target: 80, published: 80, mode: host}
                      - {target: 443, published: 443, mode: host}
                """, Map.of(), w);
        assertEquals(json("""
                [{"target":80,"published":80,"mode":"host"},{"target":443,"published":443,"mode":"host"}]"""),
                ComposeMerger.merge(List.of(base, host)).at("/services/app/ports"));
    }

    @Test
    void mergesOverlaysAsComposeDoes() throws Exception {
        List<String> w = new ArrayList<>();
        ObjectNode base = parse("""
                services:
                  web:
                    image: busybox:1
                    command: [httpd, -f]
                    environment: {A: "1", B: "2"}
                    ports: ["8080:80"]
                    volumes: ["data:/data", "logs:/logs"]
                    secrets: [b, a]
                    dns: [1.1.1.1]
                    logging: {driver: json-file, options: {max-size: 1m}}
                    deploy:
                      labels: {x: "1"}
                      placement: {constraints: [node.role==manager]}
                      resources: {limits: {memory: 64M}}
                volumes: {data: {}, logs: {}}
                """, Map.of(), w);
        ObjectNode overlay = parse("""
                services:
                  web:
                    image: busybox:2
                    command: [sleep, "1"]
                    environment: [B=3, C=4]
                    ports: ["8080:80", "9090:90"]
                    volumes: ["other:/data"]
                    secrets: [{source: a, target: renamed}]
                    dns: [1.1.1.1, 8.8.8.8]
                    logging: {options: {max-file: "3"}}
                    deploy:
                      labels: {y: "2"}
                      placement: {constraints: [node.labels.db==true]}
                      resources: {limits: {cpus: "0.5"}}
                  worker:
                    image: busybox
                volumes: {other: {}}
                """, Map.of(), w);
        JsonNode web = ComposeMerger.merge(List.of(base, overlay)).at("/services/web");
        assertEquals("busybox:2", web.get("image").asText());
        assertEquals(json("[\"sleep\",\"1\"]"), web.get("command"));
        assertEquals(json("{\"A\":\"1\",\"B\":\"3\",\"C\":\"4\"}"), web.get("environment"));
        assertEquals(2, web.get("ports").size());
        assertEquals(json("""
                [{"type":"volume","source":"other","target":"/data"},{"type":"volume","source":"logs","target":"/logs"}]"""),
                web.get("volumes"));
        assertEquals(json("[{\"source\":\"a\",\"target\":\"renamed\"},{\"source\":\"b\"}]"), web.get("secrets"));
        assertEquals(json("[\"1.1.1.1\",\"8.8.8.8\"]"), web.get("dns"));
        assertEquals(json("{\"driver\":\"json-file\",\"options\":{\"max-size\":\"1m\",\"max-file\":\"3\"}}"), web.get("logging"));
        assertEquals(json("{\"x\":\"1\",\"y\":\"2\"}"), web.at("/deploy/labels"));
        assertEquals(json("[\"node.role==manager\",\"node.labels.db==true\"]"), web.at("/deploy/placement/constraints"));
        assertEquals(json("{\"memory\":\"64M\",\"cpus\":\"0.5\"}"), web.at("/deploy/resources/limits"));
    }

    @Test
    void foldsEnvFilesUnderEnvironment() throws Exception {
        Files.writeString(tmp.resolve("compose.yml"), "services: {web: {image: b, env_file: app.env, environment: {A: given}}}\n");
        Files.writeString(tmp.resolve("app.env"), "# comment\nA=from-file\nB=\"kept quotes\"\nHOME_DIR\n");
        ComposeProject p = ComposeProject.load(List.of(tmp.resolve("compose.yml")), Map.of("HOME_DIR", "/h"));
        assertEquals(json("{\"A\":\"given\",\"B\":\"\\\"kept quotes\\\"\",\"HOME_DIR\":\"/h\"}"), p.model().at("/services/web/environment"));
    }
}
