package fr.mssante.operator.smime.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import fr.mssante.operator.smime.testing.TestPki;

/** The test PKI written as PEM files for the external tools (in a @TempDir; never committed). */
final class InteropPki {
    final TestPki pki = TestPki.create("MSS Interop Root");
    final TestPki.Issued alice = pki.issue("alice@a.mss.test");
    final TestPki.Issued bob = pki.issue("bob@b.mss.test");
    final TestPki.Issued eve = pki.issue("eve@b.mss.test", TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(365)), true, true);
    final Path dir;

    InteropPki(Path dir) throws IOException {
        this.dir = dir;
        TestPki.writePem(dir.resolve("ca.pem"), pki.ca);
        for (var entry : java.util.Map.of("alice", alice, "bob", bob, "eve", eve).entrySet()) {
            TestPki.writePem(dir.resolve(entry.getKey() + ".pem"), entry.getValue().certificate());
            TestPki.writePem(dir.resolve(entry.getKey() + ".key"), entry.getValue().key());
        }
    }
}
