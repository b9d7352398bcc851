package fr.mssante.operator.healthspace.conversations;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.healthspace.documents.CdaReader;
import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.mailbox.AttachmentData;
import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MessageContent;
import fr.mssante.operator.healthspace.webadmin.ReplyPermission;

/** The conversations, a message, its attachments (downloaded, or a CDA document rendered), and the reply. */
@Controller
class ConversationController {
    private final Conversations conversations;

    ConversationController(Conversations conversations) {
        this.conversations = conversations;
    }

    @GetMapping("/")
    String list(CitizenPrincipal citizen, Model model) {
        model.addAttribute("conversations", conversations.of(citizen));
        return "conversations";
    }

    @GetMapping("/messages/{box}/{uid}")
    String open(CitizenPrincipal citizen, @PathVariable String box, @PathVariable long uid, Model model) {
        Box folder = box(box);
        MessageContent message = conversations.open(citizen, folder, uid).orElseThrow(ConversationController::notFound);
        model.addAttribute("message", message);
        model.addAttribute("box", folder.slug());
        model.addAttribute("thread", conversations.threadOf(citizen, message.summary()));
        if (folder == Box.INBOX) {
            model.addAttribute("permission", conversations.replyPermission(citizen, message.summary()));
        }
        return "message";
    }

    @GetMapping("/messages/{box}/{uid}/attachments/{index}")
    ResponseEntity<byte[]> download(CitizenPrincipal citizen, @PathVariable String box, @PathVariable long uid,
                                    @PathVariable int index) {
        AttachmentData data = conversations.attachment(citizen, box(box), uid, index).orElseThrow(ConversationController::notFound);
        MediaType type = data.info().pdf() ? MediaType.APPLICATION_PDF : MediaType.APPLICATION_OCTET_STREAM;
        return ResponseEntity.ok()
            .contentType(type)
            .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(data.info().fileName(), StandardCharsets.UTF_8).build().toString())
            .header("Content-Security-Policy", "default-src 'none'; sandbox")
            .body(data.bytes());
    }

    @GetMapping("/messages/{box}/{uid}/attachments/{index}/document")
    String document(CitizenPrincipal citizen, @PathVariable String box, @PathVariable long uid,
                    @PathVariable int index, Model model) {
        AttachmentData data = conversations.attachment(citizen, box(box), uid, index).orElseThrow(ConversationController::notFound);
        model.addAttribute("document", CdaReader.read(data.bytes()).orElse(null));
        model.addAttribute("attachment", data.info());
        model.addAttribute("back", "/messages/" + box + "/" + uid);
        return "document";
    }

    @GetMapping("/messages/{box}/{uid}/reply")
    String replyForm(CitizenPrincipal citizen, @PathVariable String box, @PathVariable long uid, Model model) {
        Box folder = box(box);
        MessageContent message = conversations.open(citizen, folder, uid).orElseThrow(ConversationController::notFound);
        ReplyPermission permission = conversations.replyPermission(citizen, message.summary());
        if (folder != Box.INBOX || !permission.allowed()) {
            return "redirect:/messages/" + box + "/" + uid;
        }
        model.addAttribute("message", message);
        model.addAttribute("box", folder.slug());
        return "reply";
    }

    @PostMapping("/messages/{box}/{uid}/reply")
    String reply(CitizenPrincipal citizen, @PathVariable String box, @PathVariable long uid,
                 @RequestParam(defaultValue = "") String text, Model model, RedirectAttributes redirect) {
        Box folder = box(box);
        MessageContent message = conversations.open(citizen, folder, uid).orElseThrow(ConversationController::notFound);
        if (text.isBlank()) {
            model.addAttribute("message", message);
            model.addAttribute("box", folder.slug());
            model.addAttribute("error", "reply.error.empty");
            return "reply";
        }
        Optional<String> refused = conversations.reply(citizen, message, text);
        if (refused.isPresent()) {
            model.addAttribute("message", message);
            model.addAttribute("box", folder.slug());
            model.addAttribute("text", text);
            model.addAttribute("error", "reply.error.refused");
            model.addAttribute("refusal", refused.get());
            return "reply";
        }
        redirect.addFlashAttribute("notice", "reply.sent");
        return "redirect:/messages/" + box + "/" + uid;
    }

    private static Box box(String slug) {
        return Box.ofSlug(slug).orElseThrow(ConversationController::notFound);
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
}
