package io.longshore.kit.settings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a number or duration setting allows, declared next to its {@code @Option}: the
 * launcher refuses a value outside them (exit 2, naming the variable) before the plugin runs, and
 * {@code --help} and the generated tables show them. Bounds are written as the setting's values
 * are ({@code 1}, {@code 256}, {@code 0s}); either may be left open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Bounds {
    /** The least value allowed (inclusive), or empty for none. */
    String min() default "";

    /** The greatest value allowed (inclusive), or empty for none. */
    String max() default "";

    /** When true, {@link #min} itself is not allowed: the value must be greater ("longer than 0s"). */
    boolean aboveMin() default false;
}
