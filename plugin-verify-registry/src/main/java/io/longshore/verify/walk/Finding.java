package io.longshore.verify.walk;

/**
 * What is wrong with (or deliberately not checked in) one node of the walk. Each kind says how
 * much it weighs: a skipped child is information, a missing blob breaks the image, a refused
 * credential means nothing could be verified.
 */
public sealed interface Finding {
    enum Severity { INFO, BROKEN, UNREACHABLE }

    String digest();

    String message();

    Severity severity();

    default String kind() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** 404 for what a manifest references, or for the tag itself. */
    record Missing(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.BROKEN;
        }
    }

    /** The bytes, their length or the digest a tag resolves to differ from what was asked for. */
    record Mismatch(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.BROKEN;
        }
    }

    /** The registry answered, but not with something readable (5xx after retries, a broken stream). */
    record Unreadable(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.BROKEN;
        }
    }

    /** A manifest or descriptor that is not valid as written. */
    record Malformed(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.BROKEN;
        }
    }

    /** Docker schema 1 and the like: deprecated formats this tool refuses to vouch for. */
    record Unsupported(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.BROKEN;
        }
    }

    /** Not checked on purpose: an unknown child type, a non-distributable layer, a platform not asked for. */
    record Skipped(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.INFO;
        }
    }

    /** The registry refused our credentials for this. */
    record Denied(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.UNREACHABLE;
        }
    }

    /** No answer (after retries, or before the deadline). */
    record NoAnswer(String digest, String message) implements Finding {
        public Severity severity() {
            return Severity.UNREACHABLE;
        }
    }
}
