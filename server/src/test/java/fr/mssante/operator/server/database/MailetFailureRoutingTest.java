package fr.mssante.operator.server.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * conf/mailetcontainer.xml: no mailet of the pipeline sends a failure straight to error (James's default): each names
 * onMailetException (mailet-failed, where a database outage is waited out, or ignore), each matcher that is not All
 * names onMatchException, and every processor first notes its name for a retry (EnterProcessor).
 */
class MailetFailureRoutingTest {
    private static final String ENTER = "fr.mssante.operator.extensions.database.EnterProcessor";

    @Test
    void everyMailetAndMatcherFailureGoesThroughMailetFailed() throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(Path.of("..", "conf", "mailetcontainer.xml").toFile());
        List<String> problems = new ArrayList<>();
        NodeList processors = document.getElementsByTagName("processor");
        int checked = 0;
        for (int p = 0; p < processors.getLength(); p++) {
            Element processor = (Element) processors.item(p);
            String state = processor.getAttribute("state");
            if (state.isEmpty()) {
                continue; // the <processor> parameter of a mailet
            }
            List<Element> mailets = children(processor, "mailet");
            if (!state.equals("mailet-failed")) {
                Element first = mailets.get(0);
                if (!first.getAttribute("class").equals(ENTER) || !state.equals(text(first, "processor"))) {
                    problems.add(state + ": first mailet is not EnterProcessor(" + state + ")");
                }
            }
            for (Element mailet : mailets) {
                checked++;
                String where = state + "/" + mailet.getAttribute("class");
                String onMailetException = text(mailet, "onMailetException");
                String expected = state.equals("mailet-failed") ? "error" : "mailet-failed";
                if (!(expected.equals(onMailetException) || "ignore".equals(onMailetException))) {
                    problems.add(where + ": onMailetException " + onMailetException);
                }
                if (!mailet.getAttribute("match").equals("All") && !"mailet-failed".equals(text(mailet, "onMatchException"))) {
                    problems.add(where + ": onMatchException " + text(mailet, "onMatchException"));
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element mailet, String parameter) {
        List<Element> found = children(mailet, parameter);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }
}
