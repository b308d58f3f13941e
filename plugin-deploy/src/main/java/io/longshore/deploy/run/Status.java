package io.longshore.deploy.run;

/** A stage's or a command's result as CIs show it. */
public enum Status { PASS, FAIL, SKIPPED }
