package fr.mssante.operator.console.web;

import java.util.function.Supplier;

import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.webadmin.WebAdminException;

/** How pages report a WebAdmin call: a success message key, or the server's reason — never swallowed. */
public final class Actions {
    private Actions() {
    }

    /** Runs a change; flashes {@code success} (a message key) or {@code error} (the server's reason). */
    public static String change(RedirectAttributes flash, String redirect, String successKey, Runnable action) {
        try {
            action.run();
            flash.addFlashAttribute("success", successKey);
        } catch (WebAdminException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:" + redirect;
    }

    /** Loads what a page shows into the model; a failure is shown on the page ({@code loadError}). */
    public static void load(Model model, String attribute, Supplier<?> loader) {
        try {
            model.addAttribute(attribute, loader.get());
        } catch (WebAdminException e) {
            model.addAttribute("loadError", e.getMessage());
        }
    }

    /** Like {@link #load}, for one block of a page: its failure ({@code <attribute>Error}) shows in that block only. */
    public static void loadBlock(Model model, String attribute, Supplier<?> loader) {
        try {
            model.addAttribute(attribute, loader.get());
        } catch (WebAdminException e) {
            model.addAttribute(attribute + "Error", e.getMessage());
        }
    }
}
