package io.longshore.kit.run;

import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Tells the exit hooks which signal asked the process to end, so a cancelled run can say so
 * ({@code cancelled (SIGTERM) during converge}): the JVM runs its shutdown hooks alike for TERM,
 * INT and HUP and names none. Each handler notes the name and hands the signal on to the JVM's
 * own, which starts the shutdown as before.
 */
final class Signals {
    private Signals() {}

    static void install(ShutdownHooks hooks) {
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(signal, s -> {
                    hooks.signalled("SIG" + name);
                    if (previous[0] == SignalHandler.SIG_DFL) {
                        Runtime.getRuntime().exit(128 + s.getNumber());
                    } else {
                        previous[0].handle(s);
                    }
                });
                if (previous[0] == SignalHandler.SIG_IGN) {
                    Signal.handle(signal, SignalHandler.SIG_IGN); // ignored by whoever started us (nohup): keep it so
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not available on this platform or taken by the JVM: the sentence then says "a signal"
            }
        }
    }
}
