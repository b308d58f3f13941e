package io.longshore.kit.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MaskerTest {
    @Test
    void masksTheSecretItsBase64AndItsJsonEscapedForm() {
        Masker m = new Masker();
        m.add("pa\"ss");
        String b64 = Base64.getEncoder().encodeToString("pa\"ss".getBytes(StandardCharsets.UTF_8));
        assertEquals("x ****** y ****** z ******", m.mask("x pa\"ss y " + b64 + " z pa\\\"ss"));
    }

    @Test
    void leavesTextAloneWithoutSecrets() {
        assertEquals("plain", new Masker().mask("plain"));
    }
}
