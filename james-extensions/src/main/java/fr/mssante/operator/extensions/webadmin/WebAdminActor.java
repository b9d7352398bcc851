package fr.mssante.operator.extensions.webadmin;

import java.util.Optional;

import org.apache.james.webadmin.authentication.AuthenticationFilter;
import spark.Request;

import fr.mssante.operator.audit.AuditActor;

/**
 * Who acts through a WebAdmin request, for every record that names an actor (the audit trail, the register's history,
 * quarantine releases): the subject of the verified JWT, and the console's operator only when the token is the
 * console's ({@link AuditActor}). A header alone never names an actor.
 */
public final class WebAdminActor {
    private WebAdminActor() {
    }

    public static String of(Request request) {
        return AuditActor.of(Optional.ofNullable(request.<String>attribute(AuthenticationFilter.LOGIN)),
            Optional.ofNullable(request.headers(AuditActor.ACTOR_HEADER)));
    }
}
