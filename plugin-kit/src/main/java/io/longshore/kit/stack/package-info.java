/**
 * The run model (PRODUCT.md "The run model") and what deploy, teardown and prune do with it.
 *
 * <ul>
 *   <li>{@link io.longshore.kit.stack.RunLabels}: the label names; {@code RunLabels.of(stack, created, expires, owner)}
 *       for every object deploy creates.</li>
 *   <li>{@link io.longshore.kit.stack.RunFinder}: lists the engine as {@link io.longshore.kit.stack.RunObject}s;
 *       {@code find(stack)} (label or {@code <stack>_} prefix), {@code runs()} (janitor), {@code liveRuns()} (prune's gate).</li>
 *   <li>{@link io.longshore.kit.stack.TeardownPlan}: pure, printable plan; {@link io.longshore.kit.stack.Teardown}
 *       carries it out in named steps and verifies; {@link io.longshore.kit.stack.TeardownGuard} makes it happen
 *       exactly once on every exit path, SIGTERM included.</li>
 *   <li>{@link io.longshore.kit.stack.JanitorPolicy} (pure) and {@link io.longshore.kit.stack.Janitor}: reap expired,
 *       unprotected runs; {@link io.longshore.kit.stack.Protect}: stack globs nothing touches.</li>
 * </ul>
 *
 * <p>deploy, in outline:
 * <pre>{@code
 * try (Engine engine = Engine.connect(job).ping();
 *      HostLock.Held lock = HostLock.acquire(job, engine, lockSettings)) {
 *     Teardown teardown = Teardown.on(engine, job.events());
 *     new Janitor(teardown, job.events(), job.hooks())
 *             .sweep(new JanitorPolicy(Instant.now(), null, protect), timeout, false);
 *     try (TeardownGuard guard = TeardownGuard.register(job.hooks(), teardown, stack, timeout)) {
 *         ... deploy, wait, test ...
 *     } // tears down here, or from the SIGTERM hook; guard.result() has the residue
 * } catch (LockTimeoutException e) {
 *     return e.outcome();
 * }
 * }</pre>
 */
package io.longshore.kit.stack;
