package io.longshore.verify;

import io.longshore.kit.http.HttpClients;
import io.longshore.kit.http.HttpOptions;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.Secret;
import io.longshore.kit.settings.StringList;
import io.longshore.verify.model.Platform;
import io.longshore.verify.plan.Plans;
import io.longshore.verify.plan.Target;
import io.longshore.verify.plan.VerifyPlan;
import io.longshore.verify.probe.Glob;
import io.longshore.verify.registry.Backoff;
import io.longshore.verify.registry.Endpoint;
import io.longshore.verify.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify-registry", mixinStandardHelpOptions = true,
        description = "Prove that every manifest and blob of a pushed image can be fetched and is intact; "
                + "as a probe, walk a whole registry and write metrics.")
public final class VerifyRegistryCommand implements Plugin {

    public enum Mode { verify, probe }

    @Option(names = "--mode", defaultValue = "verify", description = "verify: the tags of one repository; probe: every repository in the catalog")
    Mode mode;

    @Option(names = "--repo", description = "The repository to verify, optionally with the registry host (registry.example.com/team/app)")
    String repo;

    @Option(names = "--registry", description = "The registry host[:port]; defaults to the host in repo, else docker.io")
    String registry;

    @Option(names = "--tags", description = "Tags to verify; default latest, or the tags in the workspace's .tags file")
    StringList tags;

    @Option(names = "--digest", description = "The digest that was pushed (sha256:...); the tag must resolve to exactly it")
    String digest;

    @Option(names = "--digest-file", description = "A file holding the pushed digest, e.g. Jib's target/jib-image.digest")
    Path digestFile;

    @Option(names = "--username", description = "Registry user name")
    String username;

    @Option(names = "--password", description = "Registry password or token")
    Secret password;

    @Option(names = "--docker-config", description = "A docker config.json document with registry credentials (else DOCKER_CONFIG or ~/.docker/config.json)")
    Secret dockerConfig;

    @Option(names = "--insecure", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Talk plain HTTP, or HTTPS without verifying the certificate")
    boolean insecure;

    @Option(names = "--ca-cert", description = "A PEM file of CA certificates to trust besides the system's")
    Path caCert;

    @Option(names = "--deep", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Download and hash every blob instead of checking it with HEAD")
    boolean deep;

    @Option(names = "--platforms", description = "Walk only these children of an index (linux/amd64,linux/arm64/v8)")
    StringList platforms;

    @Option(names = "--referrers", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Also verify what the referrers API (or the sha256-<hex> tag schema) lists for each manifest")
    boolean referrers;

    @Option(names = "--concurrency", defaultValue = "32",
            description = "Most requests in flight at once: the walk starts at 8, doubles each round trip, and halves for good when the registry answers 429 or 503")
    @Bounds(min = "1", max = "256")
    int concurrency;

    @Option(names = "--retries", defaultValue = "4", description = "Retries on 429, 5xx and connection errors, with backoff")
    @Bounds(min = "0", max = "20")
    int retries;

    @Option(names = "--timeout", defaultValue = "5m", description = "The whole job's deadline")
    @Bounds(min = "0s", aboveMin = true)
    Duration timeout;

    @Option(names = "--probe-repos", description = "probe: repository globs to include (default every repository)")
    StringList probeRepos;

    @Option(names = "--probe-tags", defaultValue = "20", description = "probe: at most this many tags per repository")
    @Bounds(min = "1")
    int probeTags;

    @Option(names = "--metrics-file", description = "probe: write Prometheus text-format metrics to this file")
    Path metricsFile;

    @Option(names = "--pushgateway", description = "probe: also push the metrics to this Prometheus Pushgateway URL")
    String pushgateway;

    @Mixin
    ReportSetting report;

    public static void main(String[] args) {
        Launcher.main(new VerifyRegistryCommand(), args);
    }

    /** Tests shorten the backoff; the settings do not expose it. */
    Backoff backoff = Backoff.standard();

    private VerifyPlan plan;
    private Probing.Settings probe;

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (mode == Mode.verify && (repo == null || repo.isBlank())) {
            throw InvalidSettingException.of("--repo", "is required in verify mode: the repository to verify, e.g. registry.example.com/team/app");
        }
        if (digest != null && digestFile != null) {
            throw InvalidSettingException.of("--digest", "set either PLUGIN_DIGEST or PLUGIN_DIGEST_FILE, not both");
        }
        if (caCert != null && !Files.isReadable(caCert)) {
            throw InvalidSettingException.of("--ca-cert", caCert + " is not a readable file; use the path of a PEM file with the registry's CA");
        }
        if (caCert != null) {
            try {
                HttpClients.create(HttpOptions.defaults("check").withTls(false, caCert));
            } catch (IllegalArgumentException e) {
                throw InvalidSettingException.of("--ca-cert", e.getMessage());
            }
        }
        if (pushgateway != null && !pushgateway.isBlank() && Plans.checkUrl(pushgateway).isPresent()) {
            throw InvalidSettingException.of("--pushgateway", Plans.checkUrl(pushgateway).get() + "; use e.g. http://pushgateway:9091");
        }
        List<Platform> wanted = new ArrayList<>();
        if (platforms != null) {
            for (String p : platforms.values()) {
                try {
                    wanted.add(Platform.parse(p));
                } catch (IllegalArgumentException e) {
                    throw InvalidSettingException.of("--platforms", e.getMessage());
                }
            }
        }
        WalkOptions walk = new WalkOptions(deep, wanted, referrers, concurrency);
        Path workspace = Path.of(job.ci().workspace() == null ? "" : job.ci().workspace());
        if (mode == Mode.verify) {
            Target target = target(repo, registry);
            Plans.Tags t = Plans.tags(tags == null ? null : tags.values(), workspace);
            Plans.Expected e = Plans.expected(digest, digestFile, workspace);
            Plans.Auth auth = Plans.credentials(username, password, dockerConfig, target.endpoint(), job.env());
            maskCredentials(job, auth);
            plan = new VerifyPlan(target, t.tags(), t.source(), e == null ? null : e.digest(), e == null ? null : e.source(),
                    auth.credentials(), auth.notes(), walk, retries, timeout, insecure, caCert);
        } else {
            Endpoint endpoint;
            if (registry != null && !registry.isBlank()) {
                try {
                    endpoint = Endpoint.parse(registry);
                } catch (IllegalArgumentException ex) {
                    throw InvalidSettingException.of("--registry", ex.getMessage());
                }
            } else if (repo != null && !repo.isBlank()) {
                endpoint = target(repo, null).endpoint();
            } else {
                throw InvalidSettingException.of("--registry", "is required in probe mode: the registry whose catalog to walk, e.g. registry.example.com");
            }
            Plans.Auth auth = Plans.credentials(username, password, dockerConfig, endpoint, job.env());
            maskCredentials(job, auth);
            auth.notes().forEach(job.events()::warn);
            List<Glob> globs = probeRepos == null ? List.of() : probeRepos.values().stream().map(Glob::of).toList();
            probe = new Probing.Settings(endpoint, auth.credentials(), insecure, caCert, walk, retries, timeout, globs, probeTags,
                    metricsFile, pushgateway == null || pushgateway.isBlank() ? null : pushgateway);
        }
    }

    /** A password read from a docker config file is a secret the launcher did not see as a setting. */
    private static void maskCredentials(Job job, Plans.Auth auth) {
        if (auth.credentials() != null) {
            job.masker().add(auth.credentials().password().reveal());
            job.masker().add(auth.credentials().username() + ":" + auth.credentials().password().reveal());
        }
    }

    private static Target target(String repo, String registry) throws InvalidSettingException {
        try {
            return Target.parse(repo, registry);
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.of(e.getMessage().contains("registry") && registry != null && !e.getMessage().contains("repo") ? "--registry" : "--repo",
                    e.getMessage());
        }
    }

    /** The plan a verify run carries out (after {@link #validate}). */
    VerifyPlan plan() {
        return plan;
    }

    @Override
    public Outcome run(Job job) {
        return mode == Mode.verify ? new Verification(plan, backoff).run(job) : new Probing(probe, backoff).run(job);
    }
}
