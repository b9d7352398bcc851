package fr.mssante.operator.server.wiring;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;

/** What the queue tests share: a small mail, and a file system laid out as James's under a temporary directory. */
final class QueueTestFixtures {
    private QueueTestFixtures() {
    }

    static Mail mail(String name) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("dr.p@peer.test");
        message.setSubject("subject " + name);
        message.setText("body of " + name);
        message.saveChanges();
        return MailImpl.builder().name(name).sender("dr.p@peer.test").addRecipient("bruno.durand@ours.test")
            .mimeMessage(message).build();
    }

    static FileSystem fileSystem(Path base) {
        return new FileSystem() {
            @Override
            public InputStream getResource(String url) throws IOException {
                return new FileInputStream(getFile(url));
            }

            @Override
            public File getFile(String url) {
                // as James's file system: file://relative is under the base directory, file:/absolute is absolute
                if (url.startsWith("file://") && !url.startsWith("file:///")) {
                    return base.resolve(url.substring("file://".length())).toFile();
                }
                return Path.of(url.replaceFirst("^file:(//)?", "")).toFile();
            }

            @Override
            public File getBasedir() {
                return base.toFile();
            }
        };
    }
}
