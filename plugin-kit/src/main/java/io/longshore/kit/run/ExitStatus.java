package io.longshore.kit.run;

import java.util.Locale;

/** The exit-status contract every plugin shares (PRODUCT.md "Exit status"). */
public enum ExitStatus {
    OK(0),
    FAILED(1),
    INVALID(2),
    UNREACHABLE(3),
    LOCKED(4),
    /**
     * Asked to end (SIGTERM) before the job did. Not ok: the job did not do all it was asked, and a
     * pipeline must not count it as passed; not a finding of the job's either, which the report's
     * outcome ({@code cancelled}, not {@code failed}) keeps apart. Exit 1 keeps the contract's codes.
     */
    CANCELLED(1);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The outcome name used in reports: {@code ok}, {@code failed}, ... */
    public String outcome() {
        return name().toLowerCase(Locale.ROOT);
    }
}
