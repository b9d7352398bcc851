package fr.mssante.operator.healthspace.mailbox;

import java.util.regex.Pattern;

/**
 * An HTML-only body reduced to text: the health space never renders a sender's markup (the text is then escaped by
 * the templates like any other).
 */
final class HtmlText {
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head)[^>]*>.*?</\\1\\s*>");
    private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|/p|/div|/li|/tr|/h[1-6])[^>]*>");
    private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");

    private HtmlText() {
    }

    static String toText(String html) {
        String text = INVISIBLE.matcher(html).replaceAll(" ");
        text = BREAKS.matcher(text).replaceAll("\n");
        text = TAGS.matcher(text).replaceAll("");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&#39;", "'").replace("&amp;", "&");
        return text.replaceAll("[ \\t]+", " ").replaceAll("\\n\\s*\\n\\s*\\n+", "\n\n").trim();
    }
}
