package fr.mssante.operator.extensions.authentication;

import java.util.Map;

import javax.inject.Inject;

import com.google.common.collect.ImmutableList;
import org.apache.james.imap.decode.parser.AppendCommandParser;
import org.apache.james.imap.decode.parser.AuthenticateCommandParser;
import org.apache.james.imap.decode.parser.LoginCommandParser;
import org.apache.james.imap.processor.CapabilityProcessor;
import org.apache.james.imap.processor.CopyProcessor;
import org.apache.james.imap.processor.DeleteACLProcessor;
import org.apache.james.imap.processor.DeleteProcessor;
import org.apache.james.imap.processor.LogoutProcessor;
import org.apache.james.imap.processor.MoveProcessor;
import org.apache.james.imap.processor.MyRightsProcessor;
import org.apache.james.imap.processor.RenameProcessor;
import org.apache.james.imap.processor.SetACLProcessor;
import org.apache.james.imap.processor.StoreProcessor;
import org.apache.james.imap.processor.XListProcessor;
import org.apache.james.imap.processor.fetch.FetchProcessor;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import fr.mssante.operator.extensions.imap.ByeFirstLogoutProcessor;
import fr.mssante.operator.extensions.imap.ConformingCapabilityProcessor;
import fr.mssante.operator.extensions.imap.DefaultFoldersXListProcessor;
import fr.mssante.operator.extensions.imap.DelegateAwareMyRightsProcessor;
import fr.mssante.operator.extensions.imap.EmptyMailboxFetchProcessor;
import fr.mssante.operator.extensions.imap.EmptyMailboxStoreProcessor;
import fr.mssante.operator.extensions.imap.InboxKeepingDeleteProcessor;
import fr.mssante.operator.extensions.imap.InboxRenamingProcessor;
import fr.mssante.operator.extensions.imap.LimitedAppendCommandParser;
import fr.mssante.operator.extensions.imap.OverQuotaReportingCopyProcessor;
import fr.mssante.operator.extensions.imap.OverQuotaReportingMoveProcessor;
import fr.mssante.operator.extensions.imap.RegisterManagedAclProcessors;

/**
 * James's IMAP commands, those 3.8.1 answers wrongly replaced ({@link #REPLACED}), with our AUTHENTICATE ({@link AuthenticateImapSession}) and LOGIN ({@link LoginImapSession})
 * in place of James's, and our APPEND
 * parser ({@link LimitedAppendCommandParser}: an oversize message is refused before its literal is read). Named in
 * {@code imapserver.xml}: {@code <imapPackages>fr.mssante.operator.extensions.authentication.ImapAuthenticationPackage</imapPackages>}.
 */
public class ImapAuthenticationPackage extends ImapPackage.Impl {
    private static final ImapPackage WITHOUT_AUTH = new ImapPackage.DefaultNoAuth();
    /** James 3.8.1's processors that answer wrongly, and ours in their place (see each class). */
    private static final Map<ClassName, ClassName> REPLACED = Map.ofEntries(
        Map.entry(name(CapabilityProcessor.class), name(ConformingCapabilityProcessor.class)),
        Map.entry(name(DeleteProcessor.class), name(InboxKeepingDeleteProcessor.class)),
        Map.entry(name(RenameProcessor.class), name(InboxRenamingProcessor.class)),
        Map.entry(name(FetchProcessor.class), name(EmptyMailboxFetchProcessor.class)),
        Map.entry(name(CopyProcessor.class), name(OverQuotaReportingCopyProcessor.class)),
        Map.entry(name(MoveProcessor.class), name(OverQuotaReportingMoveProcessor.class)),
        Map.entry(name(SetACLProcessor.class), name(RegisterManagedAclProcessors.Set.class)),
        Map.entry(name(DeleteACLProcessor.class), name(RegisterManagedAclProcessors.Delete.class)),
        Map.entry(name(XListProcessor.class), name(DefaultFoldersXListProcessor.class)),
        Map.entry(name(MyRightsProcessor.class), name(DelegateAwareMyRightsProcessor.class)),
        Map.entry(name(LogoutProcessor.class), name(ByeFirstLogoutProcessor.class)),
        Map.entry(name(StoreProcessor.class), name(EmptyMailboxStoreProcessor.class)));

    @Inject
    public ImapAuthenticationPackage() {
        super(ImmutableList.<ClassName>builder()
                .addAll(WITHOUT_AUTH.processors().stream().filter(processor -> !REPLACED.containsKey(processor)).toList())
                .addAll(REPLACED.values())
                .add(name(AuthenticateImapSession.class), name(LoginImapSession.class)).build(),
            ImmutableList.<ClassName>builder()
                .addAll(WITHOUT_AUTH.decoders().stream().filter(decoder -> !decoder.equals(name(AppendCommandParser.class))).toList())
                .add(name(LimitedAppendCommandParser.class))
                .add(name(AuthenticateCommandParser.class), name(LoginCommandParser.class)).build(),
            ImmutableList.copyOf(WITHOUT_AUTH.encoders()));
    }

    private static ClassName name(Class<?> type) {
        return new ClassName(type.getName());
    }
}
