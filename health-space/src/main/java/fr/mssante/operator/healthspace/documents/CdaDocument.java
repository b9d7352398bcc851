package fr.mssante.operator.healthspace.documents;

import java.util.List;

/**
 * A CDA document reduced to what a citizen reads: its title, patient, author, date and sections. Text only: the
 * templates escape every value, the document's own markup is never rendered.
 */
public record CdaDocument(String title, String patient, String patientBirthDate, String author, String organization,
                          String date, List<Section> sections) {

    public record Section(String title, List<Block> blocks) {
    }

    /** A paragraph ({@code lines} has one entry), a list ({@code lines}), or a table ({@code rows}). */
    public record Block(Kind kind, List<String> lines, List<List<String>> rows) {
        public enum Kind { PARAGRAPH, LIST, TABLE }

        public boolean paragraph() {
            return kind == Kind.PARAGRAPH;
        }

        public boolean list() {
            return kind == Kind.LIST;
        }

        public boolean table() {
            return kind == Kind.TABLE;
        }
    }
}
