package io.longshore.deploy.apply;

/** The plan could not be carried out as written (a missing external object, an unreadable file). */
public final class ApplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ApplyException(String message) {
        super(message);
    }
}
