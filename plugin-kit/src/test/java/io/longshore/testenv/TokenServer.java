package io.longshore.testenv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Bearer token server for the distribution registry's {@code auth.token} scheme (the Docker
 * registry token protocol), written with the JDK alone so that {@code scripts/test-env} can run it in
 * source-file mode ({@code java TokenServer.java --port 5003 ...}) and tests can start their own.
 *
 * <ul>
 *   <li>{@code GET /token?service=S&scope=repository:NAME:pull,push[&scope=...][&account=U]} with HTTP
 *       Basic credentials: answers {@code {"token", "access_token", "expires_in", "issued_at"}};
 *       wrong or missing credentials: 401 with {@code WWW-Authenticate: Basic}.</li>
 *   <li>{@code POST /token} with an OAuth2 form ({@code grant_type=password}, {@code username},
 *       {@code password}, {@code service}, {@code scope}): the same token, OAuth2-style answer.</li>
 *   <li>{@code GET /stats}: {@code {"issued": N, "rejected": M}}, so tests can verify token caching.</li>
 * </ul>
 *
 * <p>Tokens are JWTs signed RS256 (RSA key) or ES256 (P-256 key); the header carries {@code x5c} with
 * the signing certificate, which the registry verifies against its {@code rootcertbundle}. Claims:
 * {@code iss, sub, aud (= service), exp, nbf, iat, jti, access=[{type, name, actions}]} granting
 * exactly the requested actions.
 */
public final class TokenServer implements AutoCloseable {

    public static final String DEFAULT_USER = "longshore";
    public static final String DEFAULT_ISSUER = "longshore-test-issuer";
    public static final String DEFAULT_SERVICE = "longshore-test";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);

    /** One entry of the {@code access} claim. */
    public record Access(String type, String name, List<String> actions) {
        public Access {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            actions = List.copyOf(actions);
        }
    }

    /** Settings for {@link #start(Options)}; fluent setters, sensible defaults except key and cert. */
    public static final class Options {
        private String host = "127.0.0.1";
        private int port;
        private Path keyPem;
        private Path certPem;
        private String user = DEFAULT_USER;
        private String password;
        private String issuer = DEFAULT_ISSUER;
        private String service = DEFAULT_SERVICE;
        private Duration ttl = DEFAULT_TTL;
        private PrintStream log;

        public Options host(String value) { this.host = value; return this; }
        /** 0 picks a free port; see {@link TokenServer#port()}. */
        public Options port(int value) { this.port = value; return this; }
        public Options keyPem(Path value) { this.keyPem = value; return this; }
        public Options certPem(Path value) { this.certPem = value; return this; }
        public Options user(String value) { this.user = value; return this; }
        public Options password(String value) { this.password = value; return this; }
        public Options issuer(String value) { this.issuer = value; return this; }
        /** The default audience when a request names no service. */
        public Options service(String value) { this.service = value; return this; }
        public Options ttl(Duration value) { this.ttl = value; return this; }
        /** Where to log one line per request; {@code null} (the default) logs nothing. */
        public Options log(PrintStream value) { this.log = value; return this; }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final String alg;
    private final String headerJson;
    private final String user;
    private final byte[] password;
    private final String issuer;
    private final String service;
    private final Duration ttl;
    private final PrintStream log;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private TokenServer(Options o) throws IOException, GeneralSecurityException {
        Objects.requireNonNull(o.keyPem, "keyPem");
        Objects.requireNonNull(o.certPem, "certPem");
        Objects.requireNonNull(o.password, "password");
        this.key = readPrivateKey(o.keyPem);
        this.cert = readCertificate(o.certPem);
        this.alg = algorithmFor(key);
        checkKeyMatchesCertificate(key, cert.getPublicKey(), alg);
        this.headerJson = "{\"typ\":\"JWT\",\"alg\":\"" + alg + "\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]}";
        this.user = o.user;
        this.password = o.password.getBytes(StandardCharsets.UTF_8);
        this.issuer = o.issuer;
        this.service = o.service;
        this.ttl = o.ttl;
        this.log = o.log;

        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(o.host), o.port), 64);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "token-server-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server with the given settings. */
    public static TokenServer start(Options options) throws IOException, GeneralSecurityException {
        return new TokenServer(options);
    }

    /** Starts a server on 127.0.0.1:{@code port} for user {@value #DEFAULT_USER} with the defaults. */
    public static TokenServer start(int port, Path keyPem, Path certPem, String password)
            throws IOException, GeneralSecurityException {
        return new TokenServer(new Options().port(port).keyPem(keyPem).certPem(certPem).password(password));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The realm to configure in the registry, e.g. {@code http://127.0.0.1:5003/token}. */
    public URI realm() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/token");
    }

    /** Tokens issued so far (successful {@code /token} requests). */
    public long issued() {
        return issued.get();
    }

    /** {@code /token} requests refused for bad or missing credentials. */
    public long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Signs a token with arbitrary claims; for tests that need expired, foreign-audience or
     * otherwise unusual tokens. Does not count as issued.
     */
    public String sign(String subject, String audience, List<Access> access, Instant issuedAt, Duration lifetime) {
        long iat = issuedAt.getEpochSecond();
        StringBuilder claims = new StringBuilder(256).append('{');
        jsonField(claims, "iss", issuer).append(',');
        jsonField(claims, "sub", subject).append(',');
        jsonField(claims, "aud", audience).append(',');
        claims.append("\"exp\":").append(iat + lifetime.toSeconds()).append(',');
        claims.append("\"nbf\":").append(iat - 5).append(',');
        claims.append("\"iat\":").append(iat).append(',');
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        jsonField(claims, "jti", HexFormat.of().formatHex(jti)).append(',');
        claims.append("\"access\":[");
        for (int i = 0; i < access.size(); i++) {
            Access a = access.get(i);
            if (i > 0) claims.append(',');
            claims.append('{');
            jsonField(claims, "type", a.type()).append(',');
            jsonField(claims, "name", a.name()).append(',');
            claims.append("\"actions\":[");
            for (int j = 0; j < a.actions().size(); j++) {
                if (j > 0) claims.append(',');
                jsonString(claims, a.actions().get(j));
            }
            claims.append("]}");
        }
        claims.append("]}");
        String signingInput = B64URL.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /**
     * Parses {@code scope} values ({@code type:name:action,action}, several per value when separated
     * by spaces) into access entries, merging repeated resources and keeping the requested actions.
     */
    public static List<Access> parseScopes(List<String> scopes) {
        Map<String, Set<String>> actions = new LinkedHashMap<>();
        Map<String, String[]> resources = new LinkedHashMap<>();
        for (String value : scopes) {
            for (String scope : value.trim().split("\\s+")) {
                if (scope.isEmpty()) continue;
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last == first) continue; // not type:name:actions
                String type = scope.substring(0, first);
                String name = scope.substring(first + 1, last);
                int paren = type.indexOf('(');
                if (paren > 0 && type.endsWith(")")) type = type.substring(0, paren); // repository(plugin)
                String k = type + "\u0000" + name;
                resources.putIfAbsent(k, new String[] {type, name});
                Set<String> set = actions.computeIfAbsent(k, x -> new LinkedHashSet<>());
                for (String a : scope.substring(last + 1).split(",")) {
                    if (!a.isBlank()) set.add(a.trim());
                }
            }
        }
        List<Access> out = new ArrayList<>();
        resources.forEach((k, r) -> out.add(new Access(r[0], r[1], new ArrayList<>(actions.get(k)))));
        return out;
    }

    // ------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        int status = 500;
        String who = "-";
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/stats") && method.equals("GET")) {
                status = send(ex, 200, "{\"issued\": " + issued.get() + ", \"rejected\": " + rejected.get() + "}");
            } else if (path.equals("/token") && method.equals("GET")) {
                Map<String, List<String>> q = parseForm(ex.getRequestURI().getRawQuery());
                String[] creds = basicCredentials(ex.getRequestHeaders().getFirst("Authorization"));
                who = creds == null ? "-" : creds[0];
                if (creds == null || !authenticate(creds[0], creds[1])) {
                    status = unauthorized(ex);
                } else {
                    status = send(ex, 200, tokenResponse(creds[0], q, false));
                }
            } else if (path.equals("/token") && method.equals("POST")) {
                Map<String, List<String>> f = parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String grant = first(f, "grant_type", "");
                who = first(f, "username", "-");
                if (!grant.equals("password")) {
                    status = send(ex, 400, "{\"error\": \"unsupported_grant_type\", \"error_description\": \"only grant_type=password is supported\"}");
                } else if (!authenticate(first(f, "username", ""), first(f, "password", ""))) {
                    rejected.incrementAndGet();
                    status = send(ex, 401, "{\"error\": \"invalid_grant\", \"error_description\": \"bad credentials\"}");
                } else {
                    status = send(ex, 200, tokenResponse(who, f, true));
                }
            } else {
                status = send(ex, 404, "{\"error\": \"not found\"}");
            }
        } catch (RuntimeException | IOException e) {
            if (log != null) log.println(Instant.now() + " error handling " + ex.getRequestURI() + ": " + e);
            throw e;
        } finally {
            ex.close();
            if (log != null) {
                log.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + ex.getRequestMethod() + " "
                        + ex.getRequestURI() + " user=" + who + " -> " + status);
            }
        }
    }

    private String tokenResponse(String subject, Map<String, List<String>> params, boolean oauth) {
        String aud = first(params, "service", service);
        List<String> scopes = params.getOrDefault("scope", List.of());
        List<Access> access = parseScopes(scopes);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String token = sign(subject, aud, access, now, ttl);
        issued.incrementAndGet();
        StringBuilder b = new StringBuilder(token.length() * 2 + 128).append('{');
        if (!oauth) jsonField(b, "token", token).append(',');
        jsonField(b, "access_token", token).append(',');
        b.append("\"expires_in\":").append(ttl.toSeconds()).append(',');
        jsonField(b, "issued_at", now.toString());
        if (oauth) b.append(',').append("\"scope\":").append(jsonQuote(String.join(" ", scopes)));
        return b.append('}').toString();
    }

    private boolean authenticate(String u, String p) {
        boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), u.getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(password, p.getBytes(StandardCharsets.UTF_8));
        return userOk && passOk;
    }

    private int unauthorized(HttpExchange ex) throws IOException {
        rejected.incrementAndGet();
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"longshore-test-token\"");
        return send(ex, 401, "{\"errors\": [{\"code\": \"UNAUTHORIZED\", \"message\": \"authentication required\"}]}");
    }

    private static int send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> m, String k, String dflt) {
        List<String> v = m.get(k);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? dflt : v.get(0);
    }

    private static StringBuilder jsonField(StringBuilder b, String name, String value) {
        jsonString(b, name);
        b.append(':');
        return jsonString(b, value);
    }

    private static String jsonQuote(String s) {
        return jsonString(new StringBuilder(), s).toString();
    }

    private static StringBuilder jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"');
    }

    // ---- keys --------------------------------------------------------------------------------

    private static String algorithmFor(PrivateKey key) {
        if (key instanceof RSAKey) return "RS256";
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) return "ES256";
        throw new IllegalArgumentException("signing key must be RSA or EC P-256, got " + key.getAlgorithm());
    }

    private static void checkKeyMatchesCertificate(PrivateKey key, PublicKey pub, String alg)
            throws GeneralSecurityException {
        String sigAlg = alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "longshore-token-server-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(sigAlg);
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(sigAlg);
        v.initVerify(pub);
        v.update(probe);
        if (!v.verify(sig)) throw new IllegalArgumentException("the signing key does not match the certificate's public key");
    }

    /** Reads a PEM private key: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}). */
    public static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        byte[] der;
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            der = pemBody(text, "PRIVATE KEY");
        } else if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            der = pkcs1ToPkcs8(pemBody(text, "RSA PRIVATE KEY"));
        } else {
            throw new IllegalArgumentException(pem + ": expected an unencrypted PKCS#8 'PRIVATE KEY' or 'RSA PRIVATE KEY' PEM"
                    + " (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY)");
        }
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    public static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] pemBody(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end, b);
        if (b < 0 || e < 0) throw new IllegalArgumentException("no " + label + " PEM block");
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }

    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) throws IOException {
        byte[] rsaAlgId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0x02, 0x01, 0x00}); // version 0
        body.write(rsaAlgId);
        body.write(derHeader(0x04, pkcs1.length));
        body.write(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(derHeader(0x30, body.size()));
        body.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) return new byte[] {(byte) tag, (byte) length};
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] h = new byte[2 + bytes];
        h[0] = (byte) tag;
        h[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) h[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        return h;
    }

    // ---- command line -------------------------------------------------------------------------

    /**
     * {@code java TokenServer.java --key KEY.pem --cert CERT.pem (--password P | --password-file F)
     * [--host 127.0.0.1] [--port 5003] [--user longshore] [--issuer I] [--service S] [--ttl SECONDS]}
     */
    public static void main(String[] args) throws Exception {
        Options o = new Options().port(5003).log(System.out);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) usage("missing value for " + a);
            String v = args[++i];
            switch (a) {
                case "--host" -> o.host(v);
                case "--port" -> o.port(Integer.parseInt(v));
                case "--key" -> o.keyPem(Path.of(v));
                case "--cert" -> o.certPem(Path.of(v));
                case "--user" -> o.user(v);
                case "--password" -> o.password(v);
                case "--password-file" -> o.password(Files.readString(Path.of(v), StandardCharsets.UTF_8).strip());
                case "--issuer" -> o.issuer(v);
                case "--service" -> o.service(v);
                case "--ttl" -> o.ttl(Duration.ofSeconds(Long.parseLong(v)));
                default -> usage("unknown option " + a);
            }
        }
        if (o.keyPem == null || o.certPem == null || o.password == null) usage("--key, --cert and a password are required");
        TokenServer s = start(o);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "token-server-shutdown"));
        System.out.println(Instant.now() + " token server listening on " + s.realm() + " (alg " + s.alg + ", issuer "
                + o.issuer + ", service " + o.service + ", user " + o.user + ", ttl " + o.ttl.toSeconds() + "s)");
        new java.util.concurrent.CountDownLatch(1).await();
    }

    private static void usage(String problem) {
        System.err.println("TokenServer: " + problem);
        System.err.println("usage: java TokenServer.java --key KEY.pem --cert CERT.pem (--password P | --password-file F)"
                + " [--host 127.0.0.1] [--port 5003] [--user longshore] [--issuer I] [--service S] [--ttl SECONDS]");
        System.exit(2);
    }
}
