package io.longshore.kit.engine;

import io.longshore.kit.output.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The times one engine connection found its engine away, as the tolerance layer saw them. The
 * console hears once that the engine went away and once that it is back, however many calls wait
 * meanwhile. Code that reads what the engine did while it was away asks here: deploy's converge
 * does not blame the app for the tasks an engine restart stopped, prune re-checks its gates.
 */
public final class Outages {
    /** One outage; {@code end} is null while it lasts. */
    public record Outage(Instant start, Instant end, String reason) {
        /** Whether {@code t} falls in this outage, widened by {@code slack} on both sides. */
        public boolean covers(Instant t, Duration slack) {
            return !t.isBefore(start.minus(slack)) && (end == null || !t.isAfter(end.plus(slack)));
        }

        public Duration length(Instant now) {
            return Duration.between(start, end == null ? now : end);
        }
    }

    /** For an engine that has no tolerance layer (tests that build one by hand). */
    static final Outages NONE = new Outages("the engine", Events.none(), Clock.systemUTC());

    private final String host;
    private final Clock clock;
    private volatile Events events;
    private final List<Outage> past = new ArrayList<>();
    private Instant awaySince;
    private String reason;
    private boolean everAnswered;

    Outages(String host, Events events, Clock clock) {
        this.host = host;
        this.events = events;
        this.clock = clock;
    }

    void reportTo(Events events) {
        this.events = events;
    }

    /** How many outages began on this connection (the one going on included). */
    public synchronized int count() {
        return past.size() + (awaySince == null ? 0 : 1);
    }

    public synchronized boolean away() {
        return awaySince != null;
    }

    /** Every outage so far, oldest first, the one going on last (with no end). */
    public synchronized List<Outage> all() {
        List<Outage> l = new ArrayList<>(past);
        if (awaySince != null) {
            l.add(new Outage(awaySince, null, reason));
        }
        return List.copyOf(l);
    }

    /** Whether {@code t} (engine time, same host) falls in an outage, widened by {@code slack}. */
    public boolean covers(Instant t, Duration slack) {
        return all().stream().anyMatch(o -> o.covers(t, slack));
    }

    /** True once the engine has answered anything on this connection: only then is a failure an outage. */
    synchronized boolean everAnswered() {
        return everAnswered;
    }

    /** A call failed as an engine that is away fails; the first such failure of an outage is reported. */
    void failed(String call, String why, Duration budget) {
        String line;
        synchronized (this) {
            if (awaySince != null) {
                return;
            }
            awaySince = clock.instant();
            reason = why;
            line = "the Docker engine at " + host + " went away (" + why + " on " + call + "); waiting up to "
                    + seconds(budget) + " for it to come back";
        }
        events.warn(line);
    }

    /** The engine answered; when it had been away (and its swarm answers again), the outage ends here. */
    void answered() {
        String line;
        synchronized (this) {
            everAnswered = true;
            if (awaySince == null) {
                return;
            }
            Instant now = clock.instant();
            past.add(new Outage(awaySince, now, reason));
            line = "the Docker engine at " + host + " is back after " + seconds(Duration.between(awaySince, now));
            awaySince = null;
            reason = null;
        }
        events.progress(line);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
