import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the classes of a library compiled for Java 5 (class file version 49) as version 50
 * with stack maps, in place, and leaves every other jar alone. Same code, same behaviour: what
 * changes is that the JVM can keep them in the image's CDS archive. It archives no class older
 * than version 50 and verifies those with the old type-inferring verifier at every start;
 * picocli, which parses every plugin's settings, is such a library (about 150 classes, most of
 * the time a plugin takes to print --help).
 *
 * <p>Needs the Class-File API (JDK 24 or newer); images/libs.sh runs it only there. The output
 * depends on the input bytes only, like images/StoredJars.java, whose stored entries it keeps.
 *
 * <p>usage: {@code java images/ModernClasses.java <jar>...}
 */
public final class ModernClasses {
    static final int OLDEST_ARCHIVABLE = 50;

    public static void main(String[] args) throws IOException {
        // an entry's extended timestamp becomes a local time: the same one on every machine
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        for (String arg : args) {
            Path jar = Path.of(arg);
            if (hasOldClasses(jar)) {
                upgrade(jar);
                System.out.println("images/ModernClasses.java: " + jar.getFileName() + ": classes rewritten as version " + OLDEST_ARCHIVABLE);
            }
        }
    }

    static boolean hasOldClasses(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream s = zip.getInputStream(entry)) {
                        byte[] head = s.readNBytes(8);
                        if (head.length == 8 && ((head[6] & 0xff) << 8 | (head[7] & 0xff)) < OLDEST_ARCHIVABLE) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    static void upgrade(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            // Stack maps need the class hierarchy: the jar's own classes, then the JDK's.
            ClassFile cf = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.ofResourceParsing(classes)
                            .orElse(ClassHierarchyResolver.defaultResolver())),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            ClassTransform upgrade = ClassTransform.dropping(e -> e instanceof ClassFileVersion)
                    .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL))
                    .andThen(ClassTransform.endHandler(b -> b.withVersion(OLDEST_ARCHIVABLE, 0)));
            out.setMethod(ZipOutputStream.STORED);
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry from = e.nextElement();
                byte[] data;
                try (InputStream s = zip.getInputStream(from)) {
                    data = s.readAllBytes();
                }
                if (from.getName().endsWith(".class") && data.length >= 8 && ((data[6] & 0xff) << 8 | (data[7] & 0xff)) < OLDEST_ARCHIVABLE) {
                    data = cf.transformClass(cf.parse(data), upgrade);
                }
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry to = new ZipEntry(from.getName());
                to.setMethod(ZipEntry.STORED);
                to.setTimeLocal(from.getTimeLocal());
                to.setSize(data.length);
                to.setCompressedSize(data.length);
                to.setCrc(crc.getValue());
                out.putNextEntry(to);
                out.write(data);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }
}
