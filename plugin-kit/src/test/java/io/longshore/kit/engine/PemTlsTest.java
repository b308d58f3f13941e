package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTlsTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeys() throws Exception {
        HeldCertificate rsa = new HeldCertificate.Builder().rsa2048().build();
        byte[] expected = rsa.keyPair().getPrivate().getEncoded();
        assertArrayEquals(expected, PemTls.privateKey(write("pkcs8.pem", rsa.privateKeyPkcs8Pem())).getEncoded());
        assertArrayEquals(expected, PemTls.privateKey(write("pkcs1.pem", rsa.privateKeyPkcs1Pem())).getEncoded());
    }

    @Test
    void readsSec1EcKeysThatNameTheirCurveAsOpensslWritesThem() throws Exception {
        HeldCertificate ec = new HeldCertificate.Builder().ecdsa256().build();
        ECPrivateKey key = (ECPrivateKey) ec.keyPair().getPrivate();
        byte[] d = key.getS().toByteArray();
        byte[] s = new byte[32];
        System.arraycopy(d, Math.max(0, d.length - 32), s, Math.max(0, 32 - d.length), Math.min(32, d.length));
        byte[] prime256v1 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x01, 0x04, 0x20});
        body.writeBytes(s);
        body.write(0xa0);
        body.write(prime256v1.length);
        body.writeBytes(prime256v1);
        byte[] sec1 = new byte[body.size() + 2];
        sec1[0] = 0x30;
        sec1[1] = (byte) body.size();
        System.arraycopy(body.toByteArray(), 0, sec1, 2, body.size());
        String pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1) + "\n-----END EC PRIVATE KEY-----\n";
        ECPrivateKey read = (ECPrivateKey) PemTls.privateKey(write("sec1.pem", pem));
        assertTrue(read.getS().equals(new BigInteger(1, s)));
    }

    @Test
    void buildsAClientContextFromTheCliLayout() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate client = new HeldCertificate.Builder().signedBy(ca).build();
        write("ca.pem", ca.certificatePem());
        write("cert.pem", client.certificatePem());
        write("key.pem", client.privateKeyPkcs8Pem());
        assertNotNull(new PemTls(dir).getSSLContext());
    }

    @Test
    void anEncryptedOrMissingKeyIsAPlainError() throws Exception {
        write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        var e = assertThrows(java.security.GeneralSecurityException.class, () -> PemTls.privateKey(dir.resolve("enc.pem")));
        assertTrue(e.getMessage().contains("must not need a passphrase"), e.getMessage());
        var missing = assertThrows(IllegalStateException.class, () -> new PemTls(dir.resolve("nowhere")).getSSLContext());
        assertTrue(missing.getMessage().contains("ca.pem, cert.pem, key.pem"), missing.getMessage());
    }
}
