package fr.mssante.operator.directory.parse;

import java.util.List;

/**
 * What a parse did. {@code issues} holds at most {@link ExtractionParser#MAX_REPORTED_ISSUES} entries of each kind;
 * the counts are exact.
 */
public record ParseSummary(Dataset dataset, int headerColumns, List<String> missingColumns, long dataLines,
                           long accepted, long malformed, long duplicates, List<LineIssue> issues) {
}
