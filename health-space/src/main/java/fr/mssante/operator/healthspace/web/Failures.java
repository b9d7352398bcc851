package fr.mssante.operator.healthspace.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

import fr.mssante.operator.healthspace.mailbox.MailboxException;
import fr.mssante.operator.healthspace.webadmin.ServerUnavailableException;

/** The server or the mailbox failing is said to the citizen (503 and a page), and logged without any content. */
@ControllerAdvice
class Failures {
    private static final Logger LOGGER = LoggerFactory.getLogger(Failures.class);

    @ExceptionHandler(ServerUnavailableException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    String server(ServerUnavailableException e, Model model) {
        LOGGER.warn("Mail server WebAdmin: {}", e.getMessage());
        model.addAttribute("problem", "error.server");
        return "unavailable";
    }

    @ExceptionHandler(MailboxException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    String mailbox(MailboxException e, Model model) {
        LOGGER.warn("Mailbox: {} ({})", e.getMessage(), e.getCause() == null ? "" : e.getCause().getClass().getSimpleName());
        model.addAttribute("problem", "error.mailbox");
        return "unavailable";
    }
}
