package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.imap.decode.parser.AppendCommandParser;
import org.apache.james.imap.decode.parser.AuthenticateCommandParser;
import org.apache.james.imap.decode.parser.LoginCommandParser;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;

import fr.mssante.operator.extensions.imap.LimitedAppendCommandParser;

/**
 * James's IMAP commands with our AUTHENTICATE ({@link AuthenticateImapSession}) and LOGIN ({@link LoginImapSession})
 * in place of James's, and our APPEND
 * parser ({@link LimitedAppendCommandParser}: an oversize message is refused before its literal is read). Named in
 * {@code imapserver.xml}: {@code <imapPackages>fr.mssante.operator.extensions.authentication.ImapAuthenticationPackage</imapPackages>}.
 */
public class ImapAuthenticationPackage extends ImapPackage.Impl {
    private static final ImapPackage WITHOUT_AUTH = new ImapPackage.DefaultNoAuth();

    @Inject
    public ImapAuthenticationPackage() {
        super(ImmutableList.<ClassName>builder().addAll(WITHOUT_AUTH.processors())
                .add(name(AuthenticateImapSession.class), name(LoginImapSession.class)).build(),
            ImmutableList.<ClassName>builder()
                .addAll(WITHOUT_AUTH.decoders().stream().filter(decoder -> !decoder.equals(name(AppendCommandParser.class))).toList())
                .add(name(LimitedAppendCommandParser.class))
                .add(name(AuthenticateCommandParser.class), name(LoginCommandParser.class)).build(),
            ImmutableList.copyOf(WITHOUT_AUTH.encoders()));
    }

    private static ClassName name(Class<?> type) {
        return new ClassName(type.getCanonicalName());
    }
}
