package io.longshore.kit.engine;

/** The engine answered an API call with an error status; the message is the engine's own. */
public final class EngineApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public EngineApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
