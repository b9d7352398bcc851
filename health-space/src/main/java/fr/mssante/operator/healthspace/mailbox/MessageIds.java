package fr.mssante.operator.healthspace.mailbox;

import java.util.ArrayList;
import java.util.List;

/** The message ids ({@code <…>}) of a {@code References} or {@code In-Reply-To} header, in order. */
public final class MessageIds {
    private MessageIds() {
    }

    public static List<String> parse(String header) {
        List<String> ids = new ArrayList<>();
        int start = header.indexOf('<');
        while (start >= 0) {
            int end = header.indexOf('>', start);
            if (end < 0) {
                break;
            }
            ids.add(header.substring(start, end + 1));
            start = header.indexOf('<', end);
        }
        return ids;
    }
}
