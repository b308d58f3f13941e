package io.longshore.kit.engine;

import com.github.dockerjava.transport.SSLConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to a Docker engine from {@code DOCKER_CERT_PATH} as the CLI lays it out ({@code ca.pem},
 * {@code cert.pem}, {@code key.pem}), with the JDK alone. docker-java reads these files with
 * BouncyCastle, which would be a quarter of every image for three PEM files: keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) forms
 * are read here.
 */
public final class PemTls implements SSLConfig {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final Path certPath;

    public PemTls(Path certPath) {
        this.certPath = certPath;
    }

    @Override
    public SSLContext getSSLContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(certPath.resolve("ca.pem"))) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
            identity.load(null, null);
            Collection<? extends Certificate> chain = certificates(certPath.resolve("cert.pem"));
            identity.setKeyEntry("client", privateKey(certPath.resolve("key.pem")), NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, NO_PASSWORD);

            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the TLS files in " + certPath + " (ca.pem, cert.pem, key.pem): "
                    + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new GeneralSecurityException(pem.getFileName() + " holds no certificate");
            }
            return certs;
        }
    }

    static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        Matcher m = PEM.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der);
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            wrap(0, sequence(oid(RSA_ENCRYPTION), new byte[] {0x05, 0x00}), der)));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] curve = sec1Curve(der);
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            wrap(0, sequence(oid(EC_PUBLIC_KEY), curve), der)));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        pem.getFileName() + " is encrypted; the engine's client key must not need a passphrase");
                default -> {
                    // EC PARAMETERS and the like come before the key in some files: skip them
                }
            }
        }
        throw new GeneralSecurityException(pem.getFileName() + " holds no private key in PEM form");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new GeneralSecurityException("key.pem holds a private key of an unsupported algorithm");
    }

    private static final byte[] RSA_ENCRYPTION = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /** PKCS#8 PrivateKeyInfo: version, algorithm identifier, the key as an octet string. */
    private static byte[] wrap(int version, byte[] algorithm, byte[] key) {
        return sequence(new byte[] {0x02, 0x01, (byte) version}, algorithm, tlv(0x04, key));
    }

    /** The named-curve OID (as a whole TLV) from a SEC1 ECPrivateKey's {@code [0]} parameters. */
    static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        Der outer = Der.read(der, pos);
        if (outer.tag != 0x30) {
            throw new GeneralSecurityException("key.pem: not an EC private key");
        }
        int[] inner = {outer.start};
        while (inner[0] < outer.start + outer.length) {
            int at = inner[0];
            Der e = Der.read(der, inner);
            if (e.tag == 0xa0) {
                int[] p = {e.start};
                Der oid = Der.read(der, p);
                if (oid.tag == 0x06) {
                    return Arrays.copyOfRange(der, e.start, p[0]);
                }
            }
            if (inner[0] <= at) {
                break;
            }
        }
        throw new GeneralSecurityException("key.pem: the EC key does not name its curve; convert it with "
                + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
    }

    private record Der(int tag, int start, int length) {
        static Der read(byte[] b, int[] pos) throws GeneralSecurityException {
            if (pos[0] + 2 > b.length) {
                throw new GeneralSecurityException("key.pem: truncated key");
            }
            int tag = b[pos[0]++] & 0xff;
            int len = b[pos[0]++] & 0xff;
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 3 || pos[0] + n > b.length) {
                    throw new GeneralSecurityException("key.pem: malformed key");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[pos[0]++] & 0xff);
                }
            }
            int start = pos[0];
            if (start + len > b.length || len < 0) {
                throw new GeneralSecurityException("key.pem: malformed key");
            }
            pos[0] = start + len; // past the element; a caller steps into a constructed one from start
            return new Der(tag, start, len);
        }
    }

    private static byte[] oid(byte[] body) {
        return tlv(0x06, body);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }
}
