package fr.mssante.operator.console.security;

import jakarta.servlet.http.HttpServletRequest;

/** What the login form sends besides the username and password: the TOTP {@code code}, and the client address. */
public record LoginDetails(String code, String remoteAddress) {
    static LoginDetails of(HttpServletRequest request) {
        return new LoginDetails(request.getParameter("code"), request.getRemoteAddr());
    }
}
