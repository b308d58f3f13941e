package io.longshore.kit.run;

import io.longshore.kit.ci.CiContext;
import io.longshore.kit.output.Console;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.output.Report;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.Secret;
import io.longshore.kit.settings.Setting;
import io.longshore.kit.settings.SettingsBinder;
import io.longshore.kit.settings.SettingsTable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every plugin's {@code main}: binds settings, validates, runs, writes the report and maps the
 * outcome to the exit status. This is the only place an outcome becomes a number, and the only
 * place an unexpected exception is caught — it still ends in one plain sentence.
 */
public final class Launcher {
    /** On SIGTERM, how long the exit hooks wait for the job to reach its summary after their own work. */
    static final Duration SUMMARY_GRACE = Duration.ofSeconds(5);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final ShutdownHooks hooks;
    /** What {@link #cutShort()} needs to print a summary for a job still running at the end of the exit hooks. */
    private volatile Supplier<Integer> cutShort = () -> ExitStatus.CANCELLED.code();
    private final AtomicBoolean finished = new AtomicBoolean();

    public Launcher(Map<String, String> env, PrintStream out, PrintStream err, ShutdownHooks hooks) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.hooks = hooks;
    }

    /** The system property images/app-cds.sh sets for the run that writes an image's CDS archive. */
    static final String CDS_TRAINING = "longshore.cds.training";

    /** For a plugin's {@code public static void main}. */
    public static void main(Plugin plugin, String[] args) {
        if (args.length > 0 && (args[0].equals(io.longshore.kit.stack.NodeSweep.COMMAND) || args[0].equals(io.longshore.kit.stack.NodeSweep.LIST))) {
            // Teardown's helper job on another swarm node: any plugin image clears a run off its node.
            System.exit(io.longshore.kit.stack.NodeSweep.helperMain(args, System.getenv(), System.out));
        }
        if (Boolean.getBoolean(CDS_TRAINING)) {
            train(plugin, args);
            return;
        }
        Masker masker = new Masker();
        ShutdownHooks hooks = new ShutdownHooks(line -> System.out.println(masker.mask("    " + line)));
        hooks.install();
        Signals.install(hooks);
        Launcher launcher = new Launcher(System.getenv(), System.out, System.err, hooks);
        // Registered first, so on SIGTERM it runs last: once the other hooks have let the work finish
        // (a teardown, say), the job still gets to print its summary line and write its report, and
        // the process then exits with the code that summary names rather than the signal's 143. A job
        // that does not get there in time still ends with one sentence: that it was cancelled.
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(-1);
        ShutdownHooks.Registration summary = hooks.register("let the job print its summary and write its report", () -> {
            try {
                int code = ended.await(SUMMARY_GRACE.toMillis(), TimeUnit.MILLISECONDS) ? exitCode.get() : launcher.cutShort();
                System.out.flush();
                Runtime.getRuntime().halt(code);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int code = launcher.execute(plugin, args, masker);
        exitCode.set(code);
        ended.countDown();
        summary.close();
        System.exit(code);
    }

    /**
     * The run that writes an image's CDS archive (images/app-cds.sh): the job as its environment
     * sets it up, which there points at no engine or registry, then {@code --help}, so that the
     * archive holds the classes of a real start as well as of the help. The output is dropped;
     * the last line says how each ended, and the job must end unreachable (exit 3): a training
     * run that reached anything would have acted.
     */
    private static void train(Plugin plugin, String[] args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Launcher launcher = new Launcher(System.getenv(), nowhere, nowhere, new ShutdownHooks(line -> {}));
        int job = launcher.execute(plugin, args);
        int help = launcher.execute(plugin, new String[] {"--help"});
        System.out.println("cds training: the job exit " + job + ", --help exit " + help);
        System.exit(job == ExitStatus.UNREACHABLE.code() && help == 0 ? 0 : 1);
    }

    public int execute(Plugin plugin, String[] args) {
        return execute(plugin, args, new Masker());
    }

    int execute(Plugin plugin, String[] args, Masker masker) {
        Instant started = Instant.now();
        CommandLine cli = new CommandLine(plugin);
        CommandSpec spec = cli.getCommandSpec();
        String name = spec.name();
        SettingsBinder.bind(cli, env);
        List<Setting> settings = SettingsBinder.settings(spec);
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> SettingsTable.help(settings));
        cli.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS);
        cli.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);

        Console console = new Console(out, masker, name);
        Report report = new Report();
        CiContext ci = CiContext.from(env);
        Steps steps = new Steps(hooks);
        hooks.watchSteps(steps::current);
        Events events = Events.fanOut(console, report, steps);
        registerSecretsFromEnv(spec, masker);
        // Typos first: a misspelt variable is often why a setting then looks missing or invalid.
        SettingsBinder.unknownVariables(name, settings, env).forEach(events::warn);

        try {
            cli.parseArgs(args);
        } catch (ParameterException e) {
            String reportVar = env.get("PLUGIN_REPORT");
            Path reportPath = reportVar == null || reportVar.isBlank() ? null : Path.of(reportVar);
            return finish(console, report, masker, name, started, ci, reportPath,
                    refusal(e));
        }
        registerSecrets(spec, masker);
        if (cli.isUsageHelpRequested()) {
            console.plain("longshore " + name + " " + PluginInfo.version() + "\n" + cli.getUsageMessage());
            return 0;
        }
        if (cli.isVersionHelpRequested()) {
            console.plain(name + " " + PluginInfo.version() + " (" + PluginInfo.revision() + ")\n");
            return 0;
        }
        Path reportPath = reportPath(spec);
        cutShort = () -> {
            String why = "the job did not reach its end within " + SUMMARY_GRACE.toSeconds() + "s of the exit work";
            return finish(console, report, masker, name, started, ci, reportPath,
                    new Outcome.Cancelled(hooks.cancellation().map(c -> c.sentence(why)).orElse(why), null));
        };

        Job job = new Job(name, PluginInfo.version(), env, ci, events, masker, hooks, started);
        Outcome outcome;
        try {
            SettingsBinder.checkBounds(spec);
            plugin.validate(job);
            outcome = plugin.run(job);
        } catch (InvalidSettingException e) {
            outcome = Outcome.invalid(e);
        } catch (UnreachableException e) {
            outcome = new Outcome.Unreachable(steps.in() + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.failed(steps.in() + "interrupted before the job finished");
        } catch (Exception | LinkageError e) {
            if (isDebug()) {
                e.printStackTrace(err);
            }
            String where = steps.where();
            outcome = Outcome.failed("unexpected error" + (where.startsWith(":") ? "" : " ") + where + describe(e)
                    + " (set PLUGIN_DEBUG=true for the stack trace)");
        }
        if (outcome == null) {
            outcome = Outcome.failed("the plugin ended without an outcome");
        }
        return finish(console, report, masker, name, started, ci, reportPath, cancelled(outcome));
    }

    /** After SIGTERM every outcome is a cancelled one, and its sentence says so first. */
    private Outcome cancelled(Outcome outcome) {
        Optional<ShutdownHooks.Cancellation> c = hooks.cancellation();
        if (c.isEmpty() || outcome instanceof Outcome.Cancelled) {
            return outcome;
        }
        return new Outcome.Cancelled(c.get().sentence(outcome.summary()), outcome.details());
    }

    /** The exit hooks are done and the job has not printed its summary: print one that says it was cancelled. */
    int cutShort() {
        return cutShort.get();
    }

    private int finish(Console console, Report report, Masker masker, String name, Instant started, CiContext ci,
                       Path reportPath, Outcome outcome) {
        if (!finished.compareAndSet(false, true)) {
            return outcome.status().code(); // the summary is printed once: by the job, or for it when cut short
        }
        Duration took = Duration.between(started, Instant.now());
        ExitStatus status = outcome.status();
        if (reportPath != null) {
            try {
                Report.write(reportPath, report.document(name, PluginInfo.version(), status.outcome(), status.code(),
                        started, took, outcome.summary(), ci, outcome.details()), masker);
            } catch (Exception e) {
                console.warn("could not write the report to " + reportPath + ": " + describe(e));
            }
        }
        console.summary(status.outcome(), status.code(), took, outcome.summary());
        return status.code();
    }

    /**
     * The step the job is in and its last progress line, for the sentence an unexpected error ends
     * in; frozen when the process is asked to end, so a cancellation names the step it interrupted.
     */
    static final class Steps implements Events {
        private final ShutdownHooks hooks;
        private volatile String step;
        private volatile String last;

        Steps(ShutdownHooks hooks) {
            this.hooks = hooks;
        }

        String current() {
            return step;
        }

        /** {@code in step 'converge' (last: 'web 0/1 starting'): }, or {@code : } before the first step. */
        String where() {
            if (step == null) {
                return ": ";
            }
            return "in step '" + step + "'" + (last == null ? "" : " (last: '" + last + "')") + ": ";
        }

        /** {@code in step 'converge': }, or nothing before the first step. */
        String in() {
            return step == null ? "" : "in step '" + step + "': ";
        }

        public void step(String name) {
            if (!hooks.shuttingDown()) {
                step = name;
                last = null;
            }
        }

        public void progress(String message) {
            if (!hooks.shuttingDown()) {
                int nl = message.indexOf('\n');
                String line = (nl < 0 ? message : message.substring(0, nl)).strip();
                last = line.length() > 120 ? line.substring(0, 117) + "..." : line;
            }
        }

        public void warn(String message) {}
    }

    private boolean isDebug() {
        String v = env.get("PLUGIN_DEBUG");
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes"));
    }

    private static Path reportPath(CommandSpec spec) {
        OptionSpec report = spec.findOption("--report");
        Object value = report == null ? null : report.getValue();
        return value == null || value.toString().isBlank() ? null : Path.of(value.toString());
    }

    private static void registerSecrets(CommandSpec spec, Masker masker) {
        for (OptionSpec o : spec.options()) {
            if (o.getValue() instanceof Secret s) {
                masker.add(s.reveal());
            }
        }
    }

    /** Before parsing, and whatever it finds: mask what the secret variables hold. */
    private void registerSecretsFromEnv(CommandSpec spec, Masker masker) {
        for (OptionSpec o : spec.options()) {
            if (o.type() == Secret.class) {
                masker.add(env.get(Setting.variableFor(o.longestName())));
            }
        }
    }

    /** The refusal of what picocli could not bind: the variable, and the accepted form. */
    static Outcome.Invalid refusal(ParameterException e) {
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            List<Setting> required = missing.getMissing().stream()
                    .filter(OptionSpec.class::isInstance).map(a -> Setting.of((OptionSpec) a)).toList();
            if (!required.isEmpty()) {
                Setting first = required.getFirst();
                String others = required.stream().skip(1).map(Setting::variable).collect(java.util.stream.Collectors.joining(", "));
                return new Outcome.Invalid(first.variable(), "is required (" + first.description() + ")"
                        + (others.isEmpty() ? "" : "; so are " + others));
            }
        }
        if (e.getArgSpec() instanceof OptionSpec o) {
            Setting s = Setting.of(o);
            return new Outcome.Invalid(s.variable(), conversionProblem(e, s));
        }
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            return new Outcome.Invalid(null, e.getMessage() + "; see --help for the settings and their PLUGIN_ variables");
        }
        return new Outcome.Invalid(null, e.getMessage());
    }

    private static String conversionProblem(ParameterException e, Setting s) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof CommandLine.TypeConversionException) {
                if (t.getMessage() != null) {
                    return t.getMessage();
                }
            }
        }
        String msg = e.getMessage();
        // picocli: "Invalid value for option '--mode': expected one of [verify, probe] (case-insensitive) but was 'x'"
        int colon = msg.indexOf("': ");
        String detail = colon >= 0 ? msg.substring(colon + 3) : msg;
        return detail + "; use " + s.form();
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e.getMessage();
        String rootMsg = root.getMessage();
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        if (msg != null) {
            sb.append(": ").append(msg);
        }
        if (root != e && rootMsg != null && (msg == null || !msg.contains(rootMsg))) {
            sb.append(" (").append(root.getClass().getSimpleName()).append(": ").append(rootMsg).append(')');
        }
        return sb.toString();
    }
}
