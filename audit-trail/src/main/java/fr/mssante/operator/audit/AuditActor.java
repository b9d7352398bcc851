package fr.mssante.operator.audit;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who made an administrative change through WebAdmin (contract A): {@code console:<login>} when the JWT subject is
 * the console's ({@code mss-console}) and it names its operator in {@code X-MSS-Actor}; {@code webadmin:<subject>} for
 * any other token, whose {@code X-MSS-Actor} is ignored (a WebAdmin user cannot pass as a console operator);
 * {@code anonymous} when no valid token was presented.
 */
public final class AuditActor {
    /** The subject of the operator console's WebAdmin token. */
    public static final String CONSOLE_SUBJECT = "mss-console";
    /** The header the console sets to its logged-in operator. */
    public static final String ACTOR_HEADER = "X-MSS-Actor";
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

    private AuditActor() {
    }

    public static String of(Optional<String> tokenSubject, Optional<String> actorHeader) {
        if (tokenSubject.isEmpty() || tokenSubject.get().isBlank()) {
            return "anonymous";
        }
        String subject = tokenSubject.get();
        if (subject.equals(CONSOLE_SUBJECT)) {
            // the console must say who; what it says must look like a login (no spaces, no control characters)
            return "console:" + actorHeader.map(String::trim).filter(login -> LOGIN.matcher(login).matches()).orElse("?");
        }
        return "webadmin:" + subject;
    }
}
