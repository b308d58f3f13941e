package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCharsetTest {
    @Test
    void aHexSecretIsLowerCaseHexDigitsOfTheLengthAsked() {
        String s = SecretCharset.HEX.random(64, new SecureRandom());
        assertTrue(s.matches("[0-9a-f]{64}"), s);
    }

    @Test
    void anAlnumSecretIsLettersAndDigits() {
        String s = SecretCharset.ALNUM.random(500, new SecureRandom());
        assertTrue(s.matches("[A-Za-z0-9]{500}"), s);
        assertTrue(s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isDigit), s);
    }

    @Test
    void isNamedAsRecipesWriteIt() {
        assertEquals(Optional.of(SecretCharset.HEX), SecretCharset.named("HEX"));
        assertEquals(Optional.empty(), SecretCharset.named("special"));
    }
}
