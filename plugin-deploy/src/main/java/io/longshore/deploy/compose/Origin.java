package io.longshore.deploy.compose;

/**
 * Where a value of the merged compose model was written: the file (relative to the project
 * directory), its line, and the text before interpolation, so that a refusal can name all three.
 */
public record Origin(String file, int line, String raw) {
    /** {@code compose.yml line 88}. */
    public String where() {
        return file + " line " + line;
    }
}
