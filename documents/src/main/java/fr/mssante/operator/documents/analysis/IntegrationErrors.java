package fr.mssante.operator.documents.analysis;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

/** How several problems become the one code told to the sender: the lowest ANS code among the blocking ones. */
final class IntegrationErrors {
    private IntegrationErrors() {
    }

    static Optional<IntegrationErrorCode> lowest(Collection<Problem> problems) {
        return problems.stream().filter(Problem::blocking).map(p -> p.code().integrationError()).flatMap(Optional::stream)
            .min(Comparator.comparingInt(IntegrationErrorCode::code));
    }
}
