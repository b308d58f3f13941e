package io.longshore.deploy.run;

import java.time.Duration;

/** One command's result: status, duration, exit code (null when it never ran) and the tail of its output. */
public record CommandResult(String name, String kind, Status status, Duration duration, Integer exitCode, String message,
                            String outputTail) {}
