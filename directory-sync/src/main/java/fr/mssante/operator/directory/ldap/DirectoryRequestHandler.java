package fr.mssante.operator.directory.ldap;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLSocket;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareResponseProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.MailboxEntry;
import fr.mssante.operator.directory.lookup.Page;
import fr.mssante.operator.directory.lookup.SqlCondition;

/**
 * Answers LDAP requests from the PostgreSQL directory: simple bind, search (with size limit and the simple paged
 * results control); every write is refused. One instance per client connection (it holds the bind state).
 */
final class DirectoryRequestHandler extends LDAPListenerRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryRequestHandler.class);

    private final LdapServerConfig config;
    private final DirectoryLookup lookup;
    private final DN base;
    private final LDAPListenerClientConnection connection;
    private volatile boolean authenticated;

    DirectoryRequestHandler(LdapServerConfig config, DirectoryLookup lookup, DN base,
                            LDAPListenerClientConnection connection) {
        this.config = config;
        this.lookup = lookup;
        this.base = base;
        this.connection = connection;
    }

    @Override
    public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection c) {
        return new DirectoryRequestHandler(config, lookup, base, c);
    }

    @Override
    public LDAPMessage processBindRequest(int id, BindRequestProtocolOp request, List<Control> controls) {
        authenticated = false;
        if (request.getCredentialsType() != BindRequestProtocolOp.CRED_TYPE_SIMPLE) {
            return bind(id, ResultCode.AUTH_METHOD_NOT_SUPPORTED, "only simple bind is supported");
        }
        byte[] password = request.getSimplePassword() == null ? new byte[0] : request.getSimplePassword().getValue();
        if (request.getBindDN().isEmpty() && password.length == 0) {
            return config.allowAnonymous() ? bind(id, ResultCode.SUCCESS, null)
                : bind(id, ResultCode.INAPPROPRIATE_AUTHENTICATION, "anonymous access is disabled");
        }
        if (config.tls() != null && config.tls().requireTlsForBind() && !encrypted()) {
            return bind(id, ResultCode.CONFIDENTIALITY_REQUIRED, "use LDAPS or StartTLS before sending a password");
        }
        if (config.authenticator().authenticate(request.getBindDN(), password)) {
            authenticated = true;
            return bind(id, ResultCode.SUCCESS, null);
        }
        LOG.debug("Failed LDAP bind on connection {}", connection == null ? -1 : connection.getConnectionID());
        return bind(id, ResultCode.INVALID_CREDENTIALS, null);
    }

    /** Whether this connection is TLS (LDAPS, or after StartTLS, which swaps the socket). */
    private boolean encrypted() {
        return connection != null && connection.getSocket() instanceof SSLSocket;
    }

    @Override
    public LDAPMessage processSearchRequest(int id, SearchRequestProtocolOp request, List<Control> controls) {
        try {
            DN requestBase = new DN(request.getBaseDN());
            if (requestBase.isNullDN() && request.getScope() == SearchScope.BASE) {
                send(id, rootDse(), request.getAttributes());
                return done(id, ResultCode.SUCCESS, null);
            }
            if (!authenticated && !config.allowAnonymous()) {
                return done(id, ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "bind first");
            }
            int maxDepth = config.limits().maxNestingDepth();
            if (filterDepth(request.getFilter(), maxDepth) > maxDepth) {
                return done(id, ResultCode.UNWILLING_TO_PERFORM, "filter nested deeper than " + maxDepth + " levels");
            }
            if (requestBase.equals(base)) {
                if (request.getScope() == SearchScope.BASE) {
                    send(id, baseEntry(), request.getAttributes());
                    return done(id, ResultCode.SUCCESS, null);
                }
                return searchMailboxes(id, request, LdapFilterTranslator.toSql(request.getFilter()), controls);
            }
            if (requestBase.isDescendantOf(base, false) && requestBase.getParent().equals(base)
                && requestBase.getRDN().hasAttribute("mail")) {
                String address = requestBase.getRDN().getAttributeValues()[0];
                SqlCondition one = SqlCondition.combine("AND", List.of(
                    SqlCondition.of("address_key = ?", address.toLowerCase(Locale.ROOT)),
                    LdapFilterTranslator.toSql(request.getFilter())));
                return searchMailboxes(id, request, one, controls);
            }
            return done(id, ResultCode.NO_SUCH_OBJECT, null);
        } catch (LDAPException e) {
            return done(id, e.getResultCode(), e.getDiagnosticMessage());
        } catch (SQLException e) {
            LOG.warn("Directory search failed: {}", e.getMessage());
            return done(id, ResultCode.UNAVAILABLE, "directory unavailable");
        }
    }

    /** Nesting depth of a filter (a leaf is 1), measured without recursion; stops counting past {@code cap}. */
    static int filterDepth(Filter filter, int cap) {
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {filter, 1});
        int deepest = 0;
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            Filter current = (Filter) top[0];
            int depth = (Integer) top[1];
            deepest = Math.max(deepest, depth);
            if (deepest > cap) {
                return deepest;
            }
            if (current.getNOTComponent() != null) {
                stack.push(new Object[] {current.getNOTComponent(), depth + 1});
            }
            for (Filter component : current.getComponents()) {
                stack.push(new Object[] {component, depth + 1});
            }
        }
        return deepest;
    }

    private LDAPMessage searchMailboxes(int id, SearchRequestProtocolOp request, SqlCondition condition,
                                        List<Control> controls) throws LDAPException, SQLException {
        Control pagedRequest = controls.stream()
            .filter(c -> c.getOID().equals(SimplePagedResultsControl.PAGED_RESULTS_OID)).findFirst().orElse(null);
        int requestedLimit = request.getSizeLimit() > 0 ? request.getSizeLimit() : Integer.MAX_VALUE;
        if (pagedRequest != null) {
            SimplePagedResultsControl paged = new SimplePagedResultsControl(pagedRequest.getOID(),
                pagedRequest.isCritical(), pagedRequest.getValue());
            int offset = decodeCookie(paged.getCookie());
            int pageSize = Math.min(Math.max(1, paged.getSize()), config.maxResults());
            if (paged.getSize() == 0) {
                return done(id, ResultCode.SUCCESS, null, new SimplePagedResultsControl(0, null));
            }
            int size = Math.min(pageSize, Math.max(0, requestedLimit - offset));
            Page<MailboxEntry> page = lookup.mailboxes(condition, offset, Math.max(1, size));
            List<MailboxEntry> items = page.items().subList(0, Math.min(size, page.items().size()));
            sendAll(id, items, request.getAttributes());
            boolean more = page.hasMore() && offset + items.size() < requestedLimit;
            ASN1OctetString cookie = more ? new ASN1OctetString(Integer.toString(offset + items.size())) : null;
            if (page.hasMore() && !more) {
                return done(id, ResultCode.SIZE_LIMIT_EXCEEDED, null, new SimplePagedResultsControl(0, null));
            }
            return done(id, ResultCode.SUCCESS, null, new SimplePagedResultsControl(0, cookie));
        }
        int limit = Math.min(requestedLimit, config.maxResults());
        Page<MailboxEntry> page = lookup.mailboxes(condition, 0, limit);
        sendAll(id, page.items(), request.getAttributes());
        return page.hasMore() ? done(id, ResultCode.SIZE_LIMIT_EXCEEDED, "size limit " + limit + " reached")
            : done(id, ResultCode.SUCCESS, null);
    }

    private void sendAll(int id, List<MailboxEntry> items, List<String> attributes) throws LDAPException {
        for (MailboxEntry m : items) {
            connection.sendSearchResultEntry(id, MailboxEntryMapper.toEntry(m, base, attributes));
        }
    }

    private void send(int id, Entry entry, List<String> attributes) throws LDAPException {
        connection.sendSearchResultEntry(id, new Entry(entry.getParsedDN(),
            MailboxEntryMapper.select(List.copyOf(entry.getAttributes()), attributes)));
    }

    private Entry rootDse() {
        List<Attribute> attributes = new ArrayList<>(List.of(
            new Attribute("objectClass", "top"),
            new Attribute("namingContexts", base.toString()),
            new Attribute("supportedLDAPVersion", "3"),
            new Attribute("supportedControl", SimplePagedResultsControl.PAGED_RESULTS_OID),
            new Attribute("vendorName", "MSSanté operator directory")));
        if (config.tls() != null && config.tls().startTls()) {
            attributes.add(new Attribute("supportedExtension", StartTLSExtendedRequest.STARTTLS_REQUEST_OID));
        }
        return new Entry(DN.NULL_DN, attributes);
    }

    private Entry baseEntry() {
        RDN rdn = base.getRDN();
        return new Entry(base, List.of(
            new Attribute("objectClass", "top", "organizationalUnit"),
            new Attribute(rdn.getAttributeNames()[0], rdn.getAttributeValues()[0])));
    }

    private static int decodeCookie(ASN1OctetString cookie) throws LDAPException {
        if (cookie == null || cookie.getValueLength() == 0) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cookie.stringValue());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new LDAPException(ResultCode.UNWILLING_TO_PERFORM, "invalid paged results cookie");
        }
    }

    private static LDAPMessage bind(int id, ResultCode code, String message) {
        return new LDAPMessage(id, new BindResponseProtocolOp(code.intValue(), null, message, null, null));
    }

    private static LDAPMessage done(int id, ResultCode code, String message, Control... controls) {
        return new LDAPMessage(id, new SearchResultDoneProtocolOp(code.intValue(), null, message, null), controls);
    }

    private static final String READ_ONLY = "the directory is read-only";

    @Override
    public LDAPMessage processAddRequest(int id, AddRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new AddResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processCompareRequest(int id, CompareRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new CompareResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null,
            "compare is not supported", null));
    }

    @Override
    public LDAPMessage processDeleteRequest(int id, DeleteRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new DeleteResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processExtendedRequest(int id, ExtendedRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new ExtendedResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null,
            "extended operations are not supported", null, null, null));
    }

    @Override
    public LDAPMessage processModifyRequest(int id, ModifyRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new ModifyResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processModifyDNRequest(int id, ModifyDNRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new ModifyDNResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM.intValue(), null, READ_ONLY, null));
    }
}
