package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.longshore.deploy.warm.TarDigest;
import io.longshore.deploy.warm.VolumeCopier;
import io.longshore.testenv.DockerCli;
import io.longshore.testenv.ImageSmokeContract;
import io.longshore.testenv.TestEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Warm mode's volume copy both ways on the private engine: in a helper container of the deploy
 * image this build made, and streamed through this process as {@code docker cp} moves files. A
 * tree with what a volume can hold (setuid and sticky bits, numeric owners with no name, symlinks,
 * hard links, an empty file, names with spaces and beyond ASCII) reads to the same digest both
 * ways, and a copy made one way reads the same the other way; a tree the helper cannot copy
 * exactly (a FIFO) is streamed instead, and its copy still matches.
 */
class VolumeCopierIT extends EngineStacksTest {
    private static final String TREE = String.join(" && ",
            "cd /v",
            "mkdir -p 'a/b c/d' tmp empty",
            "echo hello > a/file",
            "printf '' > a/empty",
            "dd if=/dev/urandom of='a/b c/big' bs=1024 count=3000 2>/dev/null",
            "echo é > 'a/b c/d/caf\u00e9 \u65e5\u672c'",
            "ln a/file a/hard",
            "ln a/file 'a/b c/d/hard too'",
            "ln -s ../file 'a/b c/link'",
            "ln -s /nowhere dangling",
            "chown -R 1000:2000 a",
            "chown -h 33:44 dangling",
            "chmod 4755 a/file",
            "chmod 2750 'a/b c'",
            "chmod 1777 tmp",
            "chmod 600 a/empty",
            "chmod 700 empty");

    private final List<String> notes = new ArrayList<>();

    private String volume(String stack, String name, String script) {
        String volume = stack + "_" + name;
        engine.post("/volumes/create", JsonNodeFactory.instance.objectNode().put("Name", volume));
        if (script != null) {
            DockerCli.Result r = DockerCli.run(Duration.ofSeconds(60), "-H", TestEnv.dockerHost(), "run", "--rm", "--user", "0:0",
                    "-v", volume + ":/v", TestEnv.testImage(), "sh", "-c", script);
            assertEquals(0, r.exitCode(), r.output());
        }
        return volume;
    }

    private VolumeCopier copier(String stack, Optional<String> treeImage) {
        return new VolumeCopier(engine, TestEnv.testImage(), treeImage, Map.of("io.longshore.run", stack), stack + "_", notes::add);
    }

    @Test
    void aTreeCopiedInTheEngineReadsTheSameAsOneStreamedThroughThisProcess() {
        String stack = newStack();
        String source = volume(stack, "source", TREE);
        VolumeCopier streamed = copier(stack, Optional.empty());
        VolumeCopier inEngine = copier(stack, Optional.of(ImageSmokeContract.imageOfThisBuild()));

        TarDigest.Summary expected = streamed.read(source);
        assertEquals(expected, inEngine.read(source), "the helper digests the tree as the engine's archive gives it");
        assertTrue(expected.files() >= 4 && expected.bytes() > 3_000_000, expected.toString());

        String copy = volume(stack, "copy", null);
        assertEquals(expected, inEngine.copy(source, copy));
        assertEquals(expected, streamed.read(copy), "what the helper wrote is, read by the engine, the same tree");
        assertEquals(List.of(), notes, "every copy above ran in the engine");

        String back = volume(stack, "back", null);
        assertEquals(expected, streamed.copy(copy, back));
        assertEquals(expected, inEngine.read(back));
        assertEquals(List.of(), TestStacks.leftovers(engine, stack).stream().filter(l -> l.startsWith("containers")).toList(),
                "no helper container is left");
    }

    @Test
    void aReplaceInTheEngineLeavesExactlyTheSourceWhateverTheTargetHeld() {
        String stack = newStack();
        String source = volume(stack, "source", TREE);
        // the target holds other contents under the same names, a directory nobody may write, and
        // what a killed replace leaves behind
        String target = volume(stack, "target", String.join(" && ", "cd /v", "mkdir -p a/sealed .longshore-old-0badf00d/x tmp",
                "echo old > a/file", "dd if=/dev/zero of=a/sealed/zeros bs=1024 count=2000 2>/dev/null", "chmod 500 a/sealed",
                "echo stale > .longshore-old-0badf00d/x/y", "ln -s /etc tmp/etc", "chown 5:5 /v", "chmod 751 /v"));
        VolumeCopier streamed = copier(stack, Optional.empty());
        VolumeCopier inEngine = copier(stack, Optional.of(ImageSmokeContract.imageOfThisBuild()));
        TarDigest.Summary expected = streamed.read(source);

        assertEquals(expected, inEngine.replace(source, target, true, () -> {
            throw new AssertionError("a replace in the engine never empties the target the slow way");
        }));
        assertEquals(expected, streamed.read(target), "the target holds the source's tree, its root's owner, mode and times too");
        assertEquals(List.of(), notes, "the replace ran in the engine");
        assertEquals(new TarDigest.Summary(expected.bytes(), expected.files(), expected.entries(), null),
                inEngine.replace(source, target, false, () -> {
                    throw new AssertionError("again, in the engine");
                }), "a replace of a tree by itself, unhashed: the counts and no digest");
        assertEquals(expected, streamed.read(target));
        assertEquals(List.of(), notes, "the replaces ran in the engine");
    }

    @Test
    void aTreeTheHelperCannotCopyExactlyIsStreamedAndStillMatches() {
        String stack = newStack();
        String source = volume(stack, "source", "mkdir /v/d && echo x > /v/d/f && mkfifo /v/d/pipe && chown 7:8 /v/d/pipe");
        VolumeCopier inEngine = copier(stack, Optional.of(ImageSmokeContract.imageOfThisBuild()));
        String copy = volume(stack, "copy", null);

        TarDigest.Summary copied = inEngine.copy(source, copy);
        assertTrue(notes.stream().anyMatch(n -> n.contains("FIFO") && n.contains("through this process")), notes.toString());
        assertEquals(copied, copier(stack, Optional.empty()).read(copy));
        assertEquals(copied, copier(stack, Optional.empty()).read(source));

        // a replace the helper refuses has changed nothing when the caller empties the target and streams
        String target = volume(stack, "target", "echo keep > /v/kept");
        List<String> emptied = new ArrayList<>();
        TarDigest.Summary before = copier(stack, Optional.empty()).read(target);
        assertEquals(copied, inEngine.replace(source, target, false, () -> {
            emptied.add(target);
            assertEquals(before, copier(stack, Optional.empty()).read(target), "the helper refused before it wrote anything");
            engine.delete("/volumes/" + target);
            engine.post("/volumes/create", JsonNodeFactory.instance.objectNode().put("Name", target));
        }));
        assertEquals(List.of(target), emptied);
        assertEquals(copied, copier(stack, Optional.empty()).read(target));
    }
}
