package fr.mssante.operator.console.certificates;

import static fr.mssante.operator.console.webadmin.WebAdminClient.segment;

import java.io.IOException;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.dashboard.Metrics;
import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/**
 * Certificates: expiry of the server's and APP mailboxes' certificates (from the server's metrics), S/MIME keys
 * (PKCS#12 upload, handed to WebAdmin as is: the console never shows or keeps private material), correspondents'
 * certificates (PEM).
 */
@Controller
class CertificatesController {
    private final WebAdminClient webAdmin;

    CertificatesController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping("/certificates")
    String show(Model model) {
        Actions.load(model, "expiries", () -> Metrics.parse(webAdmin.getText("/mss/metrics")).certificateExpiries());
        return "certificates";
    }

    @PostMapping("/certificates/smime-key")
    String uploadKey(@RequestParam String mailbox, @RequestParam("pkcs12") MultipartFile pkcs12, @RequestParam String password,
                     RedirectAttributes flash) throws IOException {
        byte[] body = pkcs12.getBytes();
        return Actions.change(flash, "/certificates", "certificate.key.stored", () -> webAdmin.call("PUT",
            "/mss/smime/keys/" + segment(mailbox.trim()), body, Map.of("X-Password", password, "Content-Type", "application/x-pkcs12")));
    }

    @PostMapping("/certificates/correspondent")
    String uploadCertificate(@RequestParam String email, @RequestParam("pem") MultipartFile pem, RedirectAttributes flash)
        throws IOException {
        byte[] body = pem.getBytes();
        return Actions.change(flash, "/certificates", "certificate.stored", () -> webAdmin.call("PUT",
            "/mss/smime/certificates/" + segment(email.trim()), body, Map.of("Content-Type", "application/x-pem-file")));
    }
}
