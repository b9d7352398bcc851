package fr.mssante.operator.extensions.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ImapCommandScannerTest {
    private static final ImapInputLimits LIMITS = ImapInputLimits.of(1024 * 1024, 65536);

    private static ImapCommandScanner.Verdict scan(String command, boolean authenticated) {
        byte[] bytes = command.getBytes(StandardCharsets.ISO_8859_1);
        return ImapCommandScanner.scan(ImapCommandScanner.Bytes.of(bytes), bytes.length, authenticated, LIMITS);
    }

    @Test
    void aHugeLiteralBeforeAuthenticationIsRefusedAtItsAnnouncement() {
        assertThat(scan("a1 LOGIN {104857600}\r\n", false))
            .isEqualTo(new ImapCommandScanner.Refuse("a1", "TOOBIG", "Literal too large (limit 8192 octets before authentication)", true));
        assertThat(scan("a1 LOGIN {104857600+}\r\n", false)).isInstanceOfSatisfying(ImapCommandScanner.Refuse.class,
            refuse -> assertThat(refuse.resumable()).isFalse());
    }

    @Test
    void smallLiteralsBeforeAuthenticationAndLargerOnesAfterPass() {
        assertThat(scan("a1 LOGIN {5}\r\nalice {8}\r\n", false)).isInstanceOf(ImapCommandScanner.Proceed.class);
        assertThat(scan("a1 LOGIN {5}\r\nalice {8}\r\nsecret!!\r\n", false)).isInstanceOf(ImapCommandScanner.Proceed.class);
        assertThat(scan("a2 APPEND INBOX {500000}\r\n", true)).isInstanceOf(ImapCommandScanner.Proceed.class);
        assertThat(scan("a2 APPEND INBOX {5000000}\r\n", true)).isInstanceOf(ImapCommandScanner.Refuse.class);
    }

    @Test
    void literalsOfOneCommandCountTogether() {
        String command = "a1 LOGIN {5000+}\r\n" + "x".repeat(5000) + " {5000}\r\n";
        assertThat(scan(command, false)).isInstanceOf(ImapCommandScanner.Refuse.class);
    }

    @Test
    void literalContentsAreSkippedNotScanned() {
        String content = "(((((((((( {99999999}\r\n".repeat(20);
        assertThat(scan("a1 APPEND INBOX {" + content.length() + "}\r\n" + content + "\r\n", true))
            .isInstanceOf(ImapCommandScanner.Proceed.class);
    }

    @Test
    void deepListsAndLongOrChainsAreRefused() {
        assertThat(scan("a1 SEARCH " + "(".repeat(5000) + "ALL" + ")".repeat(5000) + "\r\n", true))
            .isInstanceOfSatisfying(ImapCommandScanner.Refuse.class, refuse -> {
                assertThat(refuse.code()).isEqualTo("LIMIT");
                assertThat(refuse.resumable()).isTrue();
            });
        assertThat(scan("a1 SEARCH " + "NOT ".repeat(5000) + "ALL\r\n", true)).isInstanceOf(ImapCommandScanner.Refuse.class);
        assertThat(scan("a1 SEARCH OR (FROM \"(((((\" SUBJECT x) NOT SEEN\r\n", true)).isInstanceOf(ImapCommandScanner.Proceed.class);
    }

    @Test
    void aLongLineAfterALiteralIsRefused() {
        String command = "a0 LOGIN {5+}\r\nalice " + "0123456789".repeat(10_000);
        assertThat(scan(command, false)).isInstanceOfSatisfying(ImapCommandScanner.Refuse.class,
            refuse -> assertThat(refuse.resumable()).isFalse());
    }

    @Test
    void tooManyLiteralsAreRefused() {
        StringBuilder command = new StringBuilder("a2 SEARCH CHARSET UTF-8 TO {1+}\r\n");
        for (int i = 0; i < 100; i++) {
            command.append("a TO {1+}\r\n");
        }
        assertThat(scan(command.toString(), true)).isInstanceOfSatisfying(ImapCommandScanner.Refuse.class,
            refuse -> assertThat(refuse.text()).startsWith("Too many literals"));
    }
}
