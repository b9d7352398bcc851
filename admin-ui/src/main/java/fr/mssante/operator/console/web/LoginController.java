package fr.mssante.operator.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form: {@code username}, {@code password}, {@code code} (TOTP). */
@Controller
class LoginController {
    @GetMapping("/login")
    String login() {
        return "login";
    }
}
