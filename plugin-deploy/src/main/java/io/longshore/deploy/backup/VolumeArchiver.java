package io.longshore.deploy.backup;

import io.longshore.deploy.run.EngineCommandRunner;
import io.longshore.deploy.warm.ReadAhead;
import io.longshore.deploy.warm.TarDigest;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.EngineStreams;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.output.Events;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a service's selected volume paths out of a running container of it and writes them back,
 * through the Engine API's archive endpoints alone (the plugin has the engine's socket, never its
 * host paths): each path is one gzip'd tar in the backup directory, 0600, as the engine wrote it
 * (numeric owners, modes, symlinks and hard links kept), counted on the way by a {@link TarDigest}.
 */
public final class VolumeArchiver {
    private static final int BUFFER = 1 << 20;

    private final Engine engine;
    private final Events events;

    public VolumeArchiver(Engine engine, Events events) {
        this.engine = engine;
        this.events = events;
    }

    /** Thrown with the sentence a stage fails with. */
    public static final class ArchiveException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ArchiveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Archives every selected path of {@code service}'s volumes into {@code dir}. */
    public List<BackupArchive> archive(ServiceBackup service, Path dir) {
        String container = container(service);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ArchiveException("cannot create the backup directory " + dir + ": " + e.getMessage(), e);
        }
        List<BackupArchive> out = new ArrayList<>();
        for (VolumeBackup v : service.volumes()) {
            List<String> paths = v.paths().isEmpty() ? List.of("") : v.paths();
            List<String> sources = v.sources();
            for (int i = 0; i < paths.size(); i++) {
                out.add(archive(service, v, paths.get(i), sources.get(i), container, dir));
            }
        }
        return out;
    }

    private BackupArchive archive(ServiceBackup service, VolumeBackup v, String path, String source, String container, Path dir) {
        Path file = dir.resolve(fileName(service.shortName(), v.key(), path));
        TarDigest digest = TarDigest.counting(); // the archive file's own sha256 is what the manifest records
        MessageDigest sha = sha256();
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // the engine writes the tar while this compresses what it wrote last
            try (InputStream tar = digest.tap(ReadAhead.of(EngineStreams.get(engine, "/containers/" + container + "/archive?path=" + encode(source))));
                 OutputStream gz = new FastGzip(new DigestOutputStream(Files.newOutputStream(file), sha))) {
                tar.transferTo(gz);
            }
        } catch (EngineApiException e) {
            throw new ArchiveException(e.status() == 404
                    ? service.shortName() + "'s container has no " + source + " to archive (volume " + v.key() + (path.isEmpty() ? "" : ", path " + path) + ")"
                    : "archiving " + source + " of " + service.shortName() + " failed: the engine answered " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ArchiveException("archiving " + source + " of " + service.shortName() + " into " + file + " failed: " + e.getMessage(), e);
        }
        TarDigest.Summary s = digest.summary();
        BackupArchive a = new BackupArchive(service.shortName(), v.key(), path, source, parent(source), file, s.bytes(), s.files(),
                HexFormat.of().formatHex(sha.digest()));
        events.progress("archived " + a.describe() + " to " + file.getFileName());
        return a;
    }

    /** Writes {@code archives} back into a running container of {@code service}, each where it was read from. */
    public void restore(ServiceBackup service, List<BackupArchive> archives) {
        String container = container(service);
        for (BackupArchive a : archives) {
            try (InputStream tar = ReadAhead.of(new GZIPInputStream(Files.newInputStream(a.file()), BUFFER))) {
                EngineStreams.put(engine, "/containers/" + container + "/archive?path=" + encode(a.restoreTo())
                        + "&copyUIDGID=true&noOverwriteDirNonDir=false", "application/x-tar", tar);
            } catch (EngineApiException e) {
                String why = e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read-only")
                        ? a.restoreTo() + " is read-only in " + service.shortName() + "'s container"
                        : "the engine answered " + e.getMessage();
                throw new ArchiveException("restoring " + a.volume() + (a.path().isEmpty() ? "" : "/" + a.path()) + " into "
                        + service.shortName() + " failed: " + why, e);
            } catch (IOException e) {
                throw new ArchiveException("restoring " + a.file() + " into " + service.shortName() + " failed: " + e.getMessage(), e);
            }
            events.progress("restored " + a.describe());
        }
    }

    /**
     * A running container of the service on the engine this run is connected to: a task on another
     * node cannot be read through it.
     */
    private String container(ServiceBackup service) {
        Task task = EngineCommandRunner.runningTask(engine, service.service())
                .orElseThrow(() -> new ArchiveException("the service " + service.service() + " has no running task to archive from", null));
        String here = engine.read().info().nodeId();
        if (here != null && !here.isEmpty() && task.nodeId() != null && !task.nodeId().isEmpty() && !task.nodeId().equals(here)) {
            String host = engine.read().nodes(io.longshore.kit.engine.Filter.NONE).stream().filter(n -> n.id().equals(task.nodeId()))
                    .map(io.longshore.kit.engine.model.Node::hostname).findFirst().orElse(task.nodeId());
            throw new ArchiveException("the task of " + service.service() + " runs on node " + host
                    + ", not on the engine this run is connected to, so its volumes cannot be read or written through it", null);
        }
        return task.containerId();
    }

    /** {@code db.db-data.tar.gz} or {@code db.db-data.dumps_today.tar.gz}. */
    static String fileName(String service, String volume, String path) {
        String p = path.isEmpty() ? "" : "." + path.replaceAll("[^A-Za-z0-9._-]", "_");
        return service + "." + volume + p + ".tar.gz";
    }

    /** Where an archive of {@code source} is written back: its parent, since the archive's entries start with its name. */
    static String parent(String source) {
        int slash = source.lastIndexOf('/');
        return slash <= 0 ? "/" : source.substring(0, slash);
    }

    private static String encode(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * gzip that compresses only what compresses: every megabyte it tries the first bytes of what
     * comes with a fast deflate, and stores the megabyte (deflate's stored blocks, still a valid
     * .tar.gz) when they do not shrink by a tenth. A dump of text still shrinks; an archive of data
     * that does not compress costs about what copying it does (compressing it took most of an
     * archive's time on volumes of media or random bytes).
     */
    static final class FastGzip extends GZIPOutputStream {
        private static final int DECIDE_EVERY = 1 << 20;
        private static final int SAMPLE = 16 * 1024;
        private final Deflater trial = new Deflater(Deflater.BEST_SPEED, true);
        private final byte[] scratch = new byte[SAMPLE + 1024];
        private long untilDecision;

        FastGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (untilDecision <= 0 && len > 0) {
                def.setLevel(compresses(b, off, Math.min(len, SAMPLE)) ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION);
                untilDecision = DECIDE_EVERY;
            }
            untilDecision -= len;
            super.write(b, off, len);
        }

        private boolean compresses(byte[] b, int off, int len) {
            trial.reset();
            trial.setInput(b, off, len);
            trial.finish();
            int out = 0;
            while (!trial.finished() && out < scratch.length) {
                out += trial.deflate(scratch, out, scratch.length - out);
            }
            return trial.finished() && out < len * 0.9;
        }

        @Override
        public void finish() throws IOException {
            super.finish();
            trial.end();
        }
    }
}
