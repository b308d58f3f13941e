package io.longshore.kit.http;

import io.longshore.kit.run.PluginInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** The one way plugins build an okhttp client: timeouts, user agent and TLS trust in one place. */
public final class HttpClients {
    private HttpClients() {}

    public static String userAgent(String plugin) {
        return "longshore-" + plugin + "/" + PluginInfo.version();
    }

    public static OkHttpClient create(HttpOptions o) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(o.connectTimeout())
                .readTimeout(o.readTimeout())
                .writeTimeout(o.readTimeout())
                .callTimeout(o.callTimeout())
                .addInterceptor(chain -> chain.proceed(
                        chain.request().newBuilder().header("User-Agent", o.userAgent()).build()));
        try {
            if (o.insecure()) {
                X509TrustManager trustAll = new TrustAll();
                b.sslSocketFactory(context(trustAll).getSocketFactory(), trustAll).hostnameVerifier((h, s) -> true);
            } else if (o.caCert() != null) {
                X509TrustManager tm = withExtraCa(o.caCert());
                b.sslSocketFactory(context(tm).getSocketFactory(), tm);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA certificate " + o.caCert() + ": " + e.getMessage(), e);
        }
        return b.build();
    }

    private static SSLContext context(X509TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    /** The system's trust anchors plus every certificate in a PEM file. */
    static X509TrustManager withExtraCa(java.nio.file.Path pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : systemTrustManager().getAcceptedIssuers()) {
            ks.setCertificateEntry("system-" + i++, c);
        }
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(pem)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (extra.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate found in it");
        }
        for (Certificate c : extra) {
            ks.setCertificateEntry("extra-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    /** {@code insecure: true}: the operator chose to skip verification (self-signed test registries). */
    private static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
