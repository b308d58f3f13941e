package io.longshore.deploy.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "mariadb, mariadb:latest",
            "mariadb:10.6, mariadb:10.6",
            "docker.io/library/mariadb, mariadb:latest",
            "docker.io/library/mariadb:10.6, mariadb:10.6",
            "index.docker.io/bonfirenetworks/bonfire:1.0, bonfirenetworks/bonfire:1.0",
            "docker.io/bonfirenetworks/bonfire, bonfirenetworks/bonfire:latest",
            "library/busybox, busybox:latest",
            "ghcr.io/baosystems/postgis, ghcr.io/baosystems/postgis:latest",
            "ghcr.io/baosystems/postgis:17-3.5, ghcr.io/baosystems/postgis:17-3.5",
            "localhost/app, localhost/app:latest",
            "127.0.0.1:5000/longshore-test/busybox, 127.0.0.1:5000/longshore-test/busybox:latest",
            "busybox@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa, busybox@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
            "busybox:1@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa, busybox:1@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
            "Registry.Example.com/team/app, Registry.Example.com/team/app:latest",
    })
    void writesAReferenceAsTheDockerClientSendsIt(String written, String sent) {
        assertEquals(sent, ImageReference.normalise(written));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MariaDB", "team/App:1", "bad:tag:here", "with space", "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa", "''"})
    void leavesAReferenceItCannotParseAsWritten(String written) {
        assertEquals(written, ImageReference.normalise(written));
    }
}
