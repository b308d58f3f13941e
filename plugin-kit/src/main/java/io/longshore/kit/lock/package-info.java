/**
 * The host lock (PRODUCT.md "The host lock"): {@link io.longshore.kit.lock.HostLock#acquire(io.longshore.kit.run.Job,
 * io.longshore.kit.engine.Engine, io.longshore.kit.lock.LockSettings)} with the {@link io.longshore.kit.lock.LockSettings}
 * mixin ({@code --lock}, {@code --lock-timeout}, {@code --lock-ttl}); call {@code LockSettings.validate()} from
 * {@code Plugin.validate}. The object is a swarm config on a manager ({@link io.longshore.kit.lock.ConfigLockStore})
 * and an internal bridge network on a single engine ({@link io.longshore.kit.lock.NetworkLockStore}), named
 * {@code longshore-lock-<name>} and labelled {@code io.longshore.lock.*}.
 *
 * <p>prune's gate, in outline:
 * <pre>{@code
 * try (HostLock.Held lock = HostLock.acquire(job, engine, lockSettings)) {
 *     List<String> live = new RunFinder(engine).liveRuns();
 *     if (!live.isEmpty()) return Outcome.ok("not pruning: runs are live: " + live);
 *     ...
 * } catch (LockTimeoutException e) {
 *     return e.outcome();   // exit 4
 * }
 * }</pre>
 */
package io.longshore.kit.lock;
