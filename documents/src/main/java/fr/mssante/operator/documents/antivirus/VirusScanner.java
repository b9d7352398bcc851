package fr.mssante.operator.documents.antivirus;

import java.io.IOException;
import java.io.InputStream;

/** Scans a whole message (the scanner decodes MIME and archives itself). */
public interface VirusScanner {
    sealed interface Verdict {
        record Clean() implements Verdict {
        }

        record Infected(String signature) implements Verdict {
        }

        /** The content cannot be scanned (too large, clamd error): asking again will not help; it is quarantined. */
        record Unscannable(String reason) implements Verdict {
        }

        /** The scanner could not answer: the mail must wait, neither delivered unscanned nor lost. */
        record Unavailable(String reason) implements Verdict {
        }
    }

    Verdict scan(InputStream message) throws IOException;

    /** Whether scanning is configured at all (development without clamd). */
    default boolean enabled() {
        return true;
    }

    VirusScanner DISABLED = new VirusScanner() {
        @Override
        public Verdict scan(InputStream message) {
            return new Verdict.Clean();
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
