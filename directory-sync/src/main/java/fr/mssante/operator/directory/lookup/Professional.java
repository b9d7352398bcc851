package fr.mssante.operator.directory.lookup;

import java.util.List;

/** What the directory knows about a national id: activities (PS file) and MSSanté mailboxes. */
public record Professional(String nationalId, List<ActivityEntry> activities, List<MailboxEntry> mailboxes) {
}
