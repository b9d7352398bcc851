package fr.mssante.operator.citizen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Message-IDs ({@code <left@right>}) as header fields carry them: In-Reply-To, References, Message-ID. */
public final class MessageIds {
    private static final Pattern ID = Pattern.compile("<([^<>\\s]{1,990})>");

    private MessageIds() {
    }

    /** Every id in the fields, without angle brackets, in order, without duplicates. */
    public static List<String> in(String... fields) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (String field : fields) {
            if (field == null) {
                continue;
            }
            Matcher matcher = ID.matcher(field);
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return new ArrayList<>(ids);
    }

    /** One id without its angle brackets (as stored). */
    public static String bare(String messageId) {
        List<String> ids = in(messageId);
        return ids.isEmpty() ? messageId.trim() : ids.get(0);
    }
}
