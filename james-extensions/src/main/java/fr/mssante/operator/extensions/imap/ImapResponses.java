package fr.mssante.operator.extensions.imap;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;

/**
 * What James 3.8.1 does not let an extension write without help: the {@code TOOBIG} response code (RFC 4469, 7889;
 * James has no factory for it and names other extension codes {@code X…}) and the command continuation request
 * ({@code + Ok}) that a literal parser sends once it has decided to read the literal. Both reach non-public members
 * reflectively, checked once when this class loads (James's version is pinned), so a change of James fails at start,
 * not in a session.
 */
final class ImapResponses {
    static final HumanReadableText TOO_BIG = new HumanReadableText("fr.mssante.operator.imap.TOO_BIG",
        "failed: the message is larger than the server accepts (see APPENDLIMIT)");
    static final HumanReadableText READ_ONLY_SELECTION = new HumanReadableText("fr.mssante.operator.imap.READ_ONLY_SELECTION",
        "failed: the mailbox is selected read-only (EXAMINE)");

    private static final StatusResponse.ResponseCode TOO_BIG_CODE = responseCode("TOOBIG");
    private static final Method CONTINUATION = continuation();

    private ImapResponses() {
    }

    static StatusResponse.ResponseCode tooBig() {
        return TOO_BIG_CODE;
    }

    /** Sends {@code + Ok} (once: not again when the frame decoder replays the line after more data came). */
    static void continuationRequest(ImapRequestLineReader request) throws DecodingException {
        try {
            CONTINUATION.invoke(request);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof DecodingException decoding) {
                throw decoding;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static StatusResponse.ResponseCode responseCode(String code) {
        try {
            Constructor<StatusResponse.ResponseCode> constructor = StatusResponse.ResponseCode.class.getDeclaredConstructor(String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(code);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Method continuation() {
        try {
            Method method = ImapRequestLineReader.class.getDeclaredMethod("commandContinuationRequest");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
