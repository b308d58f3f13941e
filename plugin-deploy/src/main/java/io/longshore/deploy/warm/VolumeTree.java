package io.longshore.deploy.warm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A volume's tree read on disk, digested and optionally copied, by a helper container on the
 * engine that mounts the volumes (the same image as the plugin's, run with {@link #COMMAND}): the
 * files then move once, disk to disk, instead of out of the engine as a tar, through this process
 * and back in as another. The digest is {@link TarDigest}'s, entry for entry, as the engine's
 * archive of the same tree gives it (names under {@code longshore-volume}, each directory sorted
 * bytewise, a hard link naming the first path of its inode): a snapshot taken one way is checked
 * and restored the other. Owners, permission bits (setuid, setgid, sticky), symlinks, hard links
 * and times are kept. A tree this cannot copy exactly (a FIFO, a device, a name the JVM cannot
 * spell) is refused before anything is written, so the caller can copy it the other way.
 */
public final class VolumeTree {
    /** The first argument that makes a plugin process this helper instead of a deploy. */
    public static final String COMMAND = "longshore-volume-tree";
    /** The first line the helper prints, so a caller can tell it ran (and not an image that knows it not). */
    static final String STARTED = "longshore-volume-tree: started";
    /** The exit code of a tree this cannot copy exactly; nothing was written. */
    static final int UNSUPPORTED = 3;
    /** The exit code of a command this helper does not know (an older image's answer to a newer caller). */
    static final int USAGE = 2;
    /** The name prefix of the directory a replace moves the target's old contents into while it copies. */
    static final String OLD = ".longshore-old-";
    /** replace's option to copy without hashing the contents (the caller has just checked them): the summary has no SHA-256. */
    static final String UNHASHED = "--unhashed";

    private static final int S_IFMT = 0170000;
    private static final int CHUNK = 1 << 20;

    /** One entry as the engine's archive lists it. */
    record Entry(Path path, String name, char type, int mode, int uid, int gid, long size, String link, long mtime, long atime) {}

    /** A tree this cannot copy exactly. */
    static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why);
        }
    }

    private VolumeTree() {}

    /**
     * {@code COMMAND digest <dir>}, {@code COMMAND copy <from> <to>} (into an empty {@code to}) or
     * {@code COMMAND replace <from> <to> [--unhashed]} (whatever {@code to} holds); prints the summary as one line of JSON.
     */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        out.println(STARTED);
        out.flush();
        try {
            TarDigest.Summary s;
            if (args.length == 3 && args[1].equals("digest")) {
                s = digest(walk(Path.of(args[2])), null, true);
            } else if (args.length == 4 && args[1].equals("copy")) {
                Path to = Path.of(args[3]);
                try (DirectoryStream<Path> in = Files.newDirectoryStream(to)) {
                    if (in.iterator().hasNext()) {
                        err.println("the target " + to + " is not empty");
                        return 1;
                    }
                }
                s = digest(walk(Path.of(args[2])), to, true);
            } else if ((args.length == 4 || args.length == 5 && args[4].equals(UNHASHED)) && args[1].equals("replace")) {
                s = replace(Path.of(args[2]), Path.of(args[3]), args.length == 4);
            } else {
                err.println("usage: " + COMMAND + " digest <dir> | copy <from> <to> | replace <from> <to> [" + UNHASHED + "]");
                return USAGE;
            }
            out.println("{\"bytes\":" + s.bytes() + ",\"files\":" + s.files() + ",\"entries\":" + s.entries() + ",\"sha256\":"
                    + (s.sha256() == null ? "null" : "\"" + s.sha256() + "\"") + "}");
            return 0;
        } catch (Unsupported e) {
            err.println(e.getMessage());
            return UNSUPPORTED;
        } catch (IOException | RuntimeException e) {
            err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    /** The tree under {@code root} in the archive's order, read without following any link; refuses what {@link #digest} could not copy. */
    static List<Entry> walk(Path root) throws IOException, Unsupported {
        List<Entry> entries = new ArrayList<>();
        walk(root, VolumeCopier.MOUNT.substring(1), entries);
        return entries;
    }

    private static void walk(Path path, String name, List<Entry> into) throws IOException, Unsupported {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        char type = switch (mode & S_IFMT) {
            case 0040000 -> '5';
            case 0100000 -> '0';
            case 0120000 -> '2';
            case 0140000 -> 's'; // the engine's archive leaves sockets out
            default -> throw new Unsupported(name + " is a " + kind(mode) + ", which only the engine's archive copies");
        };
        if (type == 's') {
            return;
        }
        String link = type == '2' ? Files.readSymbolicLink(path).toString() : "";
        into.add(new Entry(path, name, type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), type == '0' ? (Long) a.get("size") : 0,
                link, ((FileTime) a.get("lastModifiedTime")).toMillis(), ((FileTime) a.get("lastAccessTime")).toMillis()));
        if (type != '5') {
            return;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> in = Files.newDirectoryStream(path)) {
            for (Path p : in) {
                String n = p.getFileName().toString();
                if (n.indexOf('\uFFFD') >= 0) {
                    throw new Unsupported(name + "/" + n + " has a name this JVM cannot spell (sun.jnu.encoding="
                            + System.getProperty("sun.jnu.encoding") + ")");
                }
                names.add(n);
            }
        }
        names.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        for (String n : names) {
            walk(path.resolve(n), name + "/" + n, into);
        }
    }

    private static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0010000 -> "FIFO";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            default -> "file of type " + Integer.toOctalString(mode & S_IFMT);
        };
    }

    /**
     * The digest of {@code entries} (from {@link #walk}); with {@code to}, each is also made there as
     * it is read: contents, owner, permission bits and times, directories' times once their contents are in.
     * Directories and symlinks are made in order; then every file's contents are copied in the kernel
     * and hashed from the source, on as many threads as there are cores (one file's copy and its hash
     * run side by side); then the hard links and the directories' times. Not {@code hashed} (a copy
     * only), the contents are not read but copied, and the summary has no SHA-256.
     */
    static TarDigest.Summary digest(List<Entry> entries, Path to, boolean hashed) throws IOException {
        Map<String, String> digest = new HashMap<>();
        Map<Object, String> firstOfInode = new HashMap<>();
        Map<String, Path> made = new HashMap<>();
        Map<String, Future<String>> hashes = new HashMap<>();
        List<Future<?>> copies = new ArrayList<>();
        List<Entry> dirs = new ArrayList<>();
        List<Entry> links = new ArrayList<>();
        Map<Entry, String> linkTo = new HashMap<>();
        long bytes = 0;
        int files = 0;
        Path root = entries.isEmpty() ? null : entries.getFirst().path();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "volume-tree");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Entry e : entries) {
                Path target = to == null ? null : to.resolve(root.relativize(e.path()).toString());
                if (e.type() == '0') {
                    Map<String, Object> a = Files.readAttributes(e.path(), "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
                    Object inode = (Integer) a.get("nlink") > 1 ? a.get("dev") + ":" + a.get("ino") : null;
                    String first = inode == null ? null : firstOfInode.putIfAbsent(inode, e.name());
                    if (first != null) {
                        links.add(e);
                        linkTo.put(e, first);
                        continue;
                    }
                    if (hashed) {
                        hashes.put(e.name(), pool.submit(() -> hash(e.path())));
                    }
                    bytes += e.size();
                    files++;
                    if (target != null) {
                        made.put(e.name(), target);
                        copies.add(pool.submit(() -> {
                            copyContent(e.path(), target);
                            own(target, e);
                            times(target, e);
                            return null;
                        }));
                    }
                } else if (target != null && e.type() == '5') {
                    if (!target.equals(to)) {
                        Files.createDirectory(target);
                    }
                    own(target, e);
                    dirs.add(e);
                } else if (target != null && e.type() == '2') {
                    Files.createSymbolicLink(target, Path.of(e.link()));
                    Files.setAttribute(target, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(target, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            for (Future<?> f : copies) {
                join(f);
            }
            for (Entry e : hashed ? entries : List.<Entry>of()) {
                if (e.type() == '0' && !linkTo.containsKey(e)) {
                    digest.put(e.name(), TarDigest.entry('0', e.mode(), e.uid(), e.gid(), e.size(), "", join(hashes.get(e.name()))));
                } else if (e.type() != '0') {
                    digest.put(e.name(), TarDigest.entry(e.type(), e.mode(), e.uid(), e.gid(), 0, e.link(), null));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Entry e : links) {
            String first = linkTo.get(e);
            if (to != null) {
                Files.createLink(to.resolve(root.relativize(e.path()).toString()), made.get(first));
            }
            digest.put(e.name(), TarDigest.entry('1', e.mode(), e.uid(), e.gid(), 0, first, null));
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Entry d = dirs.get(i);
            times(to.resolve(root.relativize(d.path()).toString()), d);
        }
        return hashed ? TarDigest.summary(digest, bytes, files) : new TarDigest.Summary(bytes, files, entries.size(), null);
    }

    /**
     * Makes {@code to} hold exactly {@code from}'s tree, in place: the volume keeps its name, driver
     * and options, and no engine call removes and creates it. {@code from} is walked first, so a tree
     * this cannot copy is refused before {@code to} changes; then {@code to}'s old contents are moved
     * (renamed, not copied) into one directory of it, deleted on a thread of their own while the copy
     * runs beside them, and the root's times are set again once they are gone. A replace killed part
     * way leaves that directory behind, and the next replace moves it aside and deletes it with the rest.
     * Not {@code hashed}, the contents are only copied and the summary has no SHA-256.
     */
    static TarDigest.Summary replace(Path from, Path to, boolean hashed) throws IOException, Unsupported {
        List<Entry> entries = walk(from);
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> in = Files.newDirectoryStream(to)) {
            in.forEach(old::add);
        }
        Path aside;
        do {
            aside = to.resolve(OLD + UUID.randomUUID().toString().substring(0, 8));
        } while (Files.exists(aside, LinkOption.NOFOLLOW_LINKS) || Files.exists(from.resolve(aside.getFileName().toString()), LinkOption.NOFOLLOW_LINKS));
        Files.createDirectory(aside);
        for (Path p : old) {
            Files.move(p, aside.resolve(p.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
        }
        Path doomed = aside;
        FutureTask<Void> removal = new FutureTask<>(() -> {
            deleteTree(doomed);
            return null;
        });
        Thread.ofPlatform().name("volume-tree-old").daemon().start(removal);
        TarDigest.Summary s;
        try {
            s = digest(entries, to, hashed);
        } finally {
            join(removal);
        }
        times(to, entries.getFirst());
        return s;
    }

    /** Deletes a tree without following any link in it. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static <T> T join(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /** The SHA-256 of a file's contents. */
    private static String hash(Path source) throws IOException {
        MessageDigest md = TarDigest.sha256();
        byte[] buf = BUFFERS.get();
        ByteBuffer wrap = ByteBuffer.wrap(buf);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            while (true) {
                wrap.clear();
                int n = in.read(wrap);
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Copies a file's contents into a new file, in the kernel (copy_file_range or sendfile). */
    private static void copyContent(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                long n = in.transferTo(done, size - done, out);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
            if (done != size) {
                throw new IOException(source + " ended at " + done + " of its " + size + " bytes while it was copied");
            }
        }
    }

    /** Owner first: changing it clears setuid and setgid, which the mode then sets again. */
    private static void own(Path target, Entry e) throws IOException {
        Files.setAttribute(target, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:mode", e.mode(), LinkOption.NOFOLLOW_LINKS);
    }

    private static void times(Path target, Entry e) throws IOException {
        Files.getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.fromMillis(e.mtime()), FileTime.fromMillis(e.atime()), null);
    }

    /** The summary a helper printed, when it printed one. */
    static Optional<TarDigest.Summary> parse(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).strip();
            if (l.startsWith("{\"bytes\":")) {
                try {
                    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
                    return Optional.of(new TarDigest.Summary(n.path("bytes").asLong(), n.path("files").asInt(), n.path("entries").asInt(),
                            n.path("sha256").isTextual() ? n.path("sha256").asText() : null));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
