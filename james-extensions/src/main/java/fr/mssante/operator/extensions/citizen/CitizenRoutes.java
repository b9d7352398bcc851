package fr.mssante.operator.extensions.citizen;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Request;
import spark.Response;
import spark.Service;

import fr.mssante.operator.authentication.AuthenticationLog;
import fr.mssante.operator.citizen.Citizen;
import fr.mssante.operator.citizen.CitizenMails;
import fr.mssante.operator.citizen.Decision;
import fr.mssante.operator.citizen.Ins;
import fr.mssante.operator.citizen.LoginCodes;
import fr.mssante.operator.citizen.MessageIds;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.ScopedTokenFilter;

/**
 * WebAdmin routes of the citizen register, for the health space (token {@code mss_scope=citizens}, confined to these
 * routes by {@link fr.mssante.operator.extensions.webadmin.ScopedTokenFilter}); contract B:
 * <ul>
 *   <li>{@code GET /mss/citizens/{ins}} → the citizen, or 404;</li>
 *   <li>{@code POST /mss/citizens/{ins}/close} → 204 (opt-out; audited);</li>
 *   <li>{@code POST /mss/citizens/{ins}/login-code} → 204: a 6-digit code mailed to the personal address (429 when
 *       asked again within a minute); {@code POST /mss/citizens/{ins}/login-code/verify {"code":"…"}} → 200
 *       {@code {"valid":true}} / {@code {"valid":false,"remainingAttempts":n}}, 429 when locked; audited;</li>
 *   <li>{@code GET /mss/citizens/{ins}/reply-permission?inReplyTo=<Message-ID>} → {@code {"allowed","reason","reasonCode"}}.</li>
 * </ul>
 */
public class CitizenRoutes implements Routes {
    public static final String BASE = "/mss/citizens";

    private final CitizenBridge bridge;
    private final AuthenticationLog authenticationLog;
    private final JsonTransformer json = new JsonTransformer();
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    public CitizenRoutes(CitizenBridge bridge, AuthenticationLog authenticationLog) {
        this.bridge = bridge;
        this.authenticationLog = authenticationLog;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/:ins", JsonRoute.of((request, response) -> citizen(request, response)
            .<Object>map(CitizenRoutes::view).orElseGet(() -> notFound(response))), json);
        service.post(BASE + "/:ins/close", JsonRoute.of((request, response) -> {
            Optional<Citizen> citizen = citizen(request, response);
            if (citizen.isEmpty()) {
                return notFound(response);
            }
            if (bridge.register().close(new Ins(citizen.get().ins()), bridge.clock().instant())) {
                bridge.audit("CITIZEN_SPACE_CLOSED", citizen.get().address(), Optional.empty(), Optional.empty(),
                    "opt-out through WebAdmin (" + Optional.ofNullable(request.attribute(
                        ScopedTokenFilter.SUBJECT)).orElse("webadmin") + ")");
            }
            response.status(204);
            return "";
        }));
        service.post(BASE + "/:ins/login-code", JsonRoute.of((request, response) -> {
            Optional<Citizen> citizen = citizen(request, response);
            if (citizen.isEmpty()) {
                return notFound(response);
            }
            Optional<String> code = bridge.loginCodes().issue(new Ins(citizen.get().ins()));
            if (code.isEmpty()) {
                loginAudit(citizen.get(), "THROTTLED", "a code was issued less than a minute ago");
                response.status(429);
                return Map.of("error", "a code was sent less than a minute ago");
            }
            bridge.mailPersonalAddress(citizen.get(), CitizenMails.LOGIN_CODE_SUBJECT,
                CitizenMails.loginCode(code.get(), LoginCodes.VALIDITY.toMinutes(), bridge.settings().healthSpaceUrl()));
            loginAudit(citizen.get(), "CODE_SENT", "one-time code mailed to the personal address");
            response.status(204);
            return "";
        }));
        service.post(BASE + "/:ins/login-code/verify", JsonRoute.of((request, response) -> {
            Optional<Citizen> citizen = citizen(request, response);
            if (citizen.isEmpty()) {
                return notFound(response);
            }
            JsonNode body = request.body() == null || request.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(request.body());
            String code = body.path("code").asText("");
            LoginCodes.Verdict verdict = bridge.loginCodes().verify(new Ins(citizen.get().ins()), code);
            if (verdict instanceof LoginCodes.Verdict.Locked) {
                loginAudit(citizen.get(), "LOCKED_OUT", "no attempt left");
                response.status(429);
                return Map.of("error", "too many attempts: ask for a new code");
            }
            if (verdict instanceof LoginCodes.Verdict.Invalid invalid) {
                loginAudit(citizen.get(), "FAILURE", "wrong or expired code");
                return Map.of("valid", false, "remainingAttempts", invalid.remainingAttempts());
            }
            loginAudit(citizen.get(), "SUCCESS", "one-time code");
            return Map.of("valid", true);
        }), json);
        service.get(BASE + "/:ins/reply-permission", JsonRoute.of((request, response) -> {
            Optional<Citizen> citizen = citizen(request, response);
            if (citizen.isEmpty()) {
                return notFound(response);
            }
            String inReplyTo = Optional.ofNullable(request.queryParams("inReplyTo")).orElse("");
            List<String> references = MessageIds.in(inReplyTo);
            if (references.isEmpty() && !inReplyTo.isBlank()) {
                references = List.of(inReplyTo.trim());
            }
            Decision decision = bridge.rules().replyPermission(citizen.get().address(),
                bridge.space(citizen.get().address()), references);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("allowed", decision.allowed());
            view.put("reason", decision.reason().french());
            view.put("reasonCode", decision.reason().name());
            return view;
        }), json);
    }

    private Optional<Citizen> citizen(Request request, Response response) throws SQLException {
        return bridge.register().find(CitizenBridge.ins(request.params("ins")));
    }

    private static Object notFound(Response response) {
        response.status(404);
        return Map.of("error", "no such citizen");
    }

    private static Map<String, Object> view(Citizen citizen) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ins", citizen.ins());
        view.put("address", citizen.address());
        view.put("displayName", citizen.displayName());
        view.put("state", citizen.state().name());
        view.put("personalEmail", citizen.personalEmail());
        return view;
    }

    private void loginAudit(Citizen citizen, String outcome, String reason) {
        authenticationLog.record(new AuthenticationLog.Event("HEALTH-SPACE", "LOGIN-CODE", Optional.of(citizen.address()),
            Optional.of(citizen.address()), outcome, Optional.of(reason), Optional.empty()));
    }
}
