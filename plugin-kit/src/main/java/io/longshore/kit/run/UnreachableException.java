package io.longshore.kit.run;

/** The engine or a registry cannot be reached, or refused the credentials, after retries: exit 3. */
public class UnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnreachableException(String message) {
        super(message);
    }
}
