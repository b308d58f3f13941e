package io.longshore.deploy.recipe;

/**
 * The upgrade stage cannot find the release to start from. {@code failsStage}: a configuration
 * problem the user must fix (a missing tag, a shallow clone); otherwise the stage is skipped.
 */
public final class UpgradeSourceException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean failsStage;

    public UpgradeSourceException(String message, boolean failsStage) {
        super(message);
        this.failsStage = failsStage;
    }

    public boolean failsStage() {
        return failsStage;
    }
}
