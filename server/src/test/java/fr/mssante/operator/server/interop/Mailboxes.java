package fr.mssante.operator.server.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.mail.Flags;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.search.SubjectTerm;

import fr.mssante.operator.server.testing.MailClient;

/** What a mailbox really holds, read back with JavaMail (an independent client) after a real client acted on it. */
final class Mailboxes {
    record Stored(String raw, Flags flags) {
    }

    private Mailboxes() {
    }

    /** The INBOX messages whose subject contains {@code token}: full text and flags, without setting \Seen. */
    static List<Stored> withSubject(MailClient client, String user, String token) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<Stored> found = new ArrayList<>();
                for (Message message : inbox.search(new SubjectTerm(token))) {
                    Flags flags = message.getFlags();
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    found.add(new Stored(raw.toString(StandardCharsets.UTF_8), flags));
                }
                return found;
            } finally {
                inbox.close(false);
            }
        }
    }
}
