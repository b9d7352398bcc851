package fr.mssante.operator.extensions.imap;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.mailbox.exception.OverQuotaException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * COPY and MOVE over quota answer {@code NO [OVERQUOTA] COPY failed. Over quota.} (RFC 9208 §4.3, as APPEND already
 * does). James 3.8.1's {@code AbstractMessageRangeProcessor} turns the {@link OverQuotaException} into a generic
 * {@code NO COPY processing failed.} (fixed upstream by JAMES-2086 after 3.8.1): the client cannot tell the user why.
 * The copy itself notices the exception ({@link #noticing}); the command's tagged NO is then replaced
 * ({@link #reporting}).
 */
final class OverQuotaResponses {
    static final StatusResponseFactory FACTORY = new UnpooledStatusResponseFactory();
    private static final String KEY = OverQuotaResponses.class.getName();

    private OverQuotaResponses() {
    }

    static Mono<Void> reporting(ImapRequest request, Responder responder, StatusResponseFactory factory,
                                Function<Responder, Mono<Void>> command) {
        AtomicBoolean overQuota = new AtomicBoolean();
        Responder replacing = new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                if (overQuota.get() && message instanceof StatusResponse status && request.getTag().equals(status.getTag())
                    && status.getServerResponseType() == StatusResponse.Type.NO) {
                    responder.respond(factory.taggedNo(request.getTag(), request.getCommand(),
                        HumanReadableText.FAILURE_OVERQUOTA, StatusResponse.ResponseCode.overQuota()));
                    return;
                }
                responder.respond(message);
            }

            @Override
            public void flush() {
                responder.flush();
            }
        };
        return command.apply(replacing).contextWrite(context -> context.put(KEY, overQuota));
    }

    static <T> Flux<T> noticing(Flux<T> copy) {
        return Flux.deferContextual(context -> copy.doOnError(OverQuotaException.class, e -> {
            if (context.getOrEmpty(KEY).orElse(null) instanceof AtomicBoolean flag) {
                flag.set(true);
            }
        }));
    }
}
