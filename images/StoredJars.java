import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The libraries as the images carry them: every jar of a module's runtime class path rewritten
 * with its entries stored, not deflated, into {@code <out>/lib}, and {@code <out>/jvm-classpath}, the
 * JVM's class path in Maven's order as the image lays it out.
 *
 * <p>Why: a registry and {@code docker save} gzip each layer as a whole. A jar of deflated entries
 * does not compress again, while stored class files compress across each other: the libraries
 * of deploy go from 19.4 to 15.2 MB gzip. The JVM also reads stored entries without inflating them.
 *
 * <p>The output depends on the input bytes only (entry order, names, times and contents are
 * kept; extra fields and comments go), so every module writes the kit's libraries byte for byte
 * alike and the images share their layer. Signatures stay valid: they cover entry contents.
 *
 * <p>One more thing goes: JNA's native library for every platform but the one the image is built
 * for (as images/runtime.sh builds the runtime for this machine): 1.7 of its 2 MB.
 *
 * <p>usage: {@code java images/StoredJars.java <out> <module jar name> <runtime classpath>}
 * (Maven's, ':'-separated, the module's classes directory first).
 */
public final class StoredJars {
    public static void main(String[] args) throws IOException {
        // an entry's extended timestamp becomes a local time: the same one on every machine
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        Path out = Path.of(args[0]);
        String moduleJar = args[1];
        String[] entries = args[2].split(":");
        Path lib = out.resolve("lib");
        Files.createDirectories(lib);
        try (var old = Files.list(lib)) {
            for (Path p : old.toList()) {
                Files.delete(p); // the last build's: a library that left the class path must leave the image
            }
        }
        List<String> classpath = new ArrayList<>(List.of("/app/classpath/" + moduleJar));
        for (int i = 1; i < entries.length; i++) {
            Path jar = Path.of(entries[i]);
            String name = jar.getFileName().toString();
            if (Files.exists(lib.resolve(name))) {
                throw new IllegalStateException("two libraries named " + name + " on the class path");
            }
            store(jar, lib.resolve(name));
            classpath.add("/app/lib/" + name);
        }
        Files.writeString(out.resolve("jvm-classpath"), String.join(":", classpath) + "\n");
    }

    /** JNA's name for this machine's platform, e.g. {@code linux-x86-64}. */
    static final String JNA_PLATFORM = "linux-" + switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> "x86-64";
        default -> System.getProperty("os.arch");
    };

    /** A native library of JNA's for another platform: {@code com/sun/jna/<platform>/...jnidispatch...}. */
    static boolean foreignNative(String name) {
        String[] parts = name.split("/");
        return parts.length == 5 && name.startsWith("com/sun/jna/") && parts[4].contains("jnidispatch")
                && !parts[3].equals(JNA_PLATFORM);
    }

    static void store(Path in, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (ZipFile zip = new ZipFile(in.toFile());
             OutputStream file = Files.newOutputStream(tmp);
             ZipOutputStream z = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
            z.setMethod(ZipOutputStream.STORED);
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry from = e.nextElement();
                if (foreignNative(from.getName())) {
                    continue;
                }
                byte[] data;
                try (InputStream s = zip.getInputStream(from)) {
                    data = s.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry to = new ZipEntry(from.getName());
                to.setMethod(ZipEntry.STORED);
                to.setTimeLocal(from.getTimeLocal());
                to.setSize(data.length);
                to.setCompressedSize(data.length);
                to.setCrc(crc.getValue());
                z.putNextEntry(to);
                z.write(data);
                z.closeEntry();
            }
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
