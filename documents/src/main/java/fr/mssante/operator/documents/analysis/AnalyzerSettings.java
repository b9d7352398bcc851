package fr.mssante.operator.documents.analysis;

import fr.mssante.operator.documents.cda.CdaLimits;
import fr.mssante.operator.documents.detect.DetectionLimits;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.xml.XmlLimits;
import fr.mssante.operator.documents.zip.ZipLimits;

/**
 * Settings of {@link HealthDocumentAnalyzer}.
 *
 * @param environment which INS OIDs are accepted (production: INS-NIR/NIA; test: the ANS test OID; demo)
 * @param detection   MIME walking limits
 * @param zip         unzip limits
 * @param metadata    METADATA.XML limits
 * @param cda         CDA parsing limits
 */
public record AnalyzerSettings(Environment environment, DetectionLimits detection, ZipLimits zip, XmlLimits metadata, CdaLimits cda) {
    public static AnalyzerSettings defaults(Environment environment) {
        return new AnalyzerSettings(environment, DetectionLimits.DEFAULT, ZipLimits.DEFAULT, XmlLimits.DEFAULT, CdaLimits.DEFAULT);
    }

    public AnalyzerSettings withZip(ZipLimits value) {
        return new AnalyzerSettings(environment, detection, value, metadata, cda);
    }
}
