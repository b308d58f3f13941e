package io.longshore.kit.run;

import io.longshore.kit.settings.InvalidSettingException;

/**
 * One plugin's job. The implementing class is also its picocli {@code @Command}: its
 * {@code @Option} fields are its settings (one declaration each).
 */
public interface Plugin {
    /** Checks what the option types cannot (required combinations, ranges, files that must exist). */
    default void validate(Job job) throws InvalidSettingException {}

    Outcome run(Job job) throws Exception;
}
