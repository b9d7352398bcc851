package fr.mssante.operator.console.accounts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.account.AccountStore;
import fr.mssante.operator.console.account.Role;
import fr.mssante.operator.console.account.Totp;

/**
 * The console's own accounts (operators only, reading included): list, create (role; a generated password and TOTP
 * secret shown once, the secret as an {@code otpauth://} URI for an authenticator app, never again), lock until
 * unlocked, unlock (which also clears a lock-out). Every change is in {@code console.login_event}
 * ({@code ACCOUNT_CREATED}, {@code ACCOUNT_LOCKED}, {@code ACCOUNT_UNLOCKED}, with the operator who made it). An
 * operator cannot lock their own account.
 */
@Controller
@RequestMapping("/accounts")
class AccountsController {
    static final String LOGIN_PATTERN = "[a-z][a-z0-9._-]{2,31}";
    static final String ISSUER = "MSS console";

    private final AccountStore accounts;
    private final PasswordEncoder encoder;
    private final SecureRandom random = new SecureRandom();

    AccountsController(AccountStore accounts, PasswordEncoder encoder) {
        this.accounts = accounts;
        this.encoder = encoder;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("accounts", accounts.list());
        return "accounts";
    }

    @PostMapping
    String create(@RequestParam String login, @RequestParam String role, Authentication operator, HttpServletRequest request,
                  RedirectAttributes flash) {
        String wanted = login.trim();
        Role chosen;
        try {
            chosen = Role.valueOf(role);
        } catch (IllegalArgumentException e) {
            chosen = null;
        }
        if (!wanted.matches(LOGIN_PATTERN) || chosen == null) {
            flash.addFlashAttribute("error", "identifiant (" + LOGIN_PATTERN + ") ou rôle invalide");
            return "redirect:/accounts";
        }
        byte[] raw = new byte[15];
        random.nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String secret = Totp.newSecret(random);
        if (!accounts.create(wanted, encoder.encode(password), secret, chosen)) {
            flash.addFlashAttribute("error", "le compte " + wanted + " existe déjà");
            return "redirect:/accounts";
        }
        accounts.audit(wanted, "ACCOUNT_CREATED", "role " + chosen + " by " + operator.getName(), request.getRemoteAddr());
        flash.addFlashAttribute("success", "accounts.created");
        flash.addFlashAttribute("newLogin", wanted);
        flash.addFlashAttribute("newPassword", password);
        flash.addFlashAttribute("newOtpauth", otpauth(wanted, secret));
        return "redirect:/accounts";
    }

    @PostMapping("/{login}/lock")
    String lock(@PathVariable String login, Authentication operator, HttpServletRequest request, RedirectAttributes flash) {
        if (login.equals(operator.getName())) {
            flash.addFlashAttribute("error", "vous ne pouvez pas verrouiller votre propre compte");
            return "redirect:/accounts";
        }
        return change(login, true, operator, request, flash);
    }

    @PostMapping("/{login}/unlock")
    String unlock(@PathVariable String login, Authentication operator, HttpServletRequest request, RedirectAttributes flash) {
        return change(login, false, operator, request, flash);
    }

    private String change(String login, boolean disabled, Authentication operator, HttpServletRequest request,
                          RedirectAttributes flash) {
        if (!accounts.setDisabled(login, disabled)) {
            flash.addFlashAttribute("error", "aucun compte " + login);
            return "redirect:/accounts";
        }
        accounts.audit(login, disabled ? "ACCOUNT_LOCKED" : "ACCOUNT_UNLOCKED", "by " + operator.getName(), request.getRemoteAddr());
        flash.addFlashAttribute("success", disabled ? "accounts.locked" : "accounts.unlocked");
        return "redirect:/accounts";
    }

    /** The Key URI format authenticator apps read (RFC 6238 parameters: SHA1, 6 digits, 30 s). */
    static String otpauth(String login, String secret) {
        String label = URLEncoder.encode(ISSUER + ":" + login, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
            + URLEncoder.encode(ISSUER, StandardCharsets.UTF_8).replace("+", "%20")
            + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
    }
}
