package io.longshore.verify.registry;

import io.longshore.kit.wait.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * How many requests may be in flight to the registry, adapted to what it says. It starts at
 * {@link #START} (the fixed width of earlier versions) and grows by one with each answer that is
 * not an overload, so it doubles every round trip, up to the ceiling ({@code concurrency}). An
 * overloaded answer (429, 503) halves it, once for all the requests sent under the same window,
 * makes that half the most it grows back to for the rest of the job (the registry has said what
 * it takes), and pauses every new request for the Retry-After the registry named. A fast registry
 * is walked at full width within a few round trips; one that pushes back is asked less often, not
 * retried harder: never more overloaded answers than at the old fixed width.
 *
 * <p>As an interceptor it sits inside the retry loop: a retry waiting for its backoff holds no
 * place, and every attempt, a retry too, waits for one. A lock rather than {@code synchronized}:
 * the walk's virtual threads wait here, and must not pin their carriers while they do.
 */
public final class InFlightLimit implements Interceptor {
    private static final Set<Integer> OVERLOAD = Set.of(429, 503);
    /** The width a walk starts at. */
    public static final int START = 8;
    /** How long a full window waits before it looks again, should a release not wake it. */
    private static final Duration RECHECK = Duration.ofMillis(50);

    /** One admitted request: when it was sent, to tell which window it was sent under. */
    public record Ticket(Instant sent) {}

    private final int ceiling;
    private final Deadline deadline;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int window;
    /** What the window grows back to: the ceiling, until the registry pushes back. */
    private int limit;
    private int inFlight;
    private Instant pausedUntil = Instant.MIN;
    private Instant lastDecrease = Instant.MIN;
    private int decreases;

    public InFlightLimit(int ceiling, Deadline deadline, Clock clock) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("the ceiling is at least 1");
        }
        this.ceiling = ceiling;
        this.deadline = deadline;
        this.clock = clock;
        this.window = Math.min(START, ceiling);
        this.limit = ceiling;
    }

    /** A place for a request now, or how long to wait before asking again (never zero then). */
    public Duration admit(Instant now, Ticket[] ticket) {
        lock.lock();
        try {
            if (now.isBefore(pausedUntil)) {
                return Duration.between(now, pausedUntil);
            }
            if (inFlight >= window) {
                return RECHECK;
            }
            inFlight++;
            ticket[0] = new Ticket(now);
            return Duration.ZERO;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request's answer ({@code status}, or 0 for no answer at all) frees its place and adapts
     * the window; {@code retryAfter} (may be null) pauses new requests.
     */
    public void release(Ticket ticket, Instant now, int status, Duration retryAfter) {
        lock.lock();
        try {
            inFlight--;
            if (OVERLOAD.contains(status)) {
                if (retryAfter != null && retryAfter.isPositive() && now.plus(retryAfter).isAfter(pausedUntil)) {
                    pausedUntil = now.plus(retryAfter);
                }
                // the other answers to requests sent under the old window say the same thing again
                if (ticket.sent().isAfter(lastDecrease)) {
                    window = Math.max(1, window / 2);
                    limit = window;
                    lastDecrease = now;
                    decreases++;
                }
            } else if (status != 0 && window < limit) {
                window++;
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Requests allowed in flight now. */
    public int window() {
        lock.lock();
        try {
            return window;
        } finally {
            lock.unlock();
        }
    }

    /** How often the registry asked to slow down and how far the window went down; empty when it never did. */
    public String describe() {
        lock.lock();
        try {
            return decreases == 0 ? "" : "the registry asked to slow down " + decreases + (decreases == 1 ? " time" : " times")
                    + ": at most " + window + " requests in flight from then on (of " + ceiling + ")";
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Ticket ticket = acquire();
        int status = 0;
        Duration retryAfter = null;
        try {
            Response response = chain.proceed(chain.request());
            status = response.code();
            retryAfter = RetryInterceptor.retryAfter(response);
            return response;
        } finally {
            release(ticket, clock.instant(), status, retryAfter);
        }
    }

    private Ticket acquire() throws InterruptedIOException {
        Ticket[] ticket = new Ticket[1];
        lock.lock();
        try {
            while (true) {
                Duration wait = admit(clock.instant(), ticket);
                if (wait.isZero()) {
                    return ticket[0];
                }
                if (deadline.passed()) {
                    // as okhttp's call timeout says it, so that the retry loop does not retry it
                    throw new InterruptedIOException("timeout");
                }
                Duration bounded = wait.compareTo(deadline.remaining()) < 0 ? wait : deadline.remaining();
                try {
                    freed.await(Math.max(1, bounded.toMillis()), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a place among the requests in flight");
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
