package io.longshore.kit.engine;

import com.github.dockerjava.transport.SSLConfig;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context, made the first time a TLS connection needs it. docker-java's
 * transport builds a TLS strategy even for a Unix socket, where no TLS is ever spoken, and with
 * no context of ours it asks for the system default at once: loading and parsing the system
 * trust store, a third of what a plugin did before its first engine call. For a socket this
 * context is never used, so never made.
 *
 * <p>Only for {@code unix://} and {@code npipe://} hosts: for {@code tcp://}, docker-java takes
 * any context at all to mean HTTPS.
 */
final class TlsOnFirstUse implements SSLConfig {
    private final SSLContext context = new Deferred(new Spi());

    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    /** Whether the context was made (for tests: a socket's client never makes it). */
    boolean made() {
        return ((Deferred) context).spi.real != null;
    }

    private static final class Deferred extends SSLContext {
        final Spi spi;

        Deferred(Spi spi) {
            super(spi, null, "TLS");
            this.spi = spi;
        }
    }

    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext real;

        private SSLContext real() {
            SSLContext r = real;
            if (r == null) {
                synchronized (this) {
                    if (real == null) {
                        try {
                            real = SSLContext.getDefault();
                        } catch (NoSuchAlgorithmException e) {
                            throw new IllegalStateException("this JVM has no default TLS context", e);
                        }
                    }
                    r = real;
                }
            }
            return r;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("the default TLS context is initialised by the JVM");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}
