package fr.mssante.operator.extensions.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's IMAP frame decoder preceded by {@link ImapCommandScanner}: a command whose literals, lines or nesting exceed
 * {@link ImapInputLimits} gets {@code <tag> BAD [TOOBIG|LIMIT] …} before James answers {@code +} to a literal or reads
 * any of it (James 3.8.1 answered {@code + Ok} to {@code a1 LOGIN {104857600}} before login: CVE-2024-37358). Before
 * authentication, and whenever the client may already be sending the refused data, the connection is then closed.
 */
public class LimitedImapRequestFrameDecoder extends ImapRequestFrameDecoder {
    private static final Logger LOGGER = LoggerFactory.getLogger(LimitedImapRequestFrameDecoder.class);
    /** Attachment keys of James's decoder: waiting for a literal's bytes, and streaming one into a file. */
    private static final String NEEDED_DATA = "NEEDED_DATA";
    private static final String SINK = "SINK";

    private final ImapInputLimits limits;
    private final AtomicInteger lineHandlers = new AtomicInteger();
    private boolean closing;
    /**
     * A decoded request is being processed: the next one waits in the cumulation buffer, undecoded, until it ends
     * (RFC 3501 §5.5: commands run in order). James 3.8.1 decodes every pipelined command on arrival, checking it
     * against the session state of that moment ({@code b LOGIN …} and {@code c SELECT INBOX} sent together: {@code c NO
     * … not valid in this state}) and running it concurrently with the one in flight.
     */
    private boolean requestInFlight;
    /** Input held back while a request runs, beyond which the channel stops reading (back-pressure). */
    static final int MAX_HELD_BACK = 1024 * 1024;

    public LimitedImapRequestFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxFrameLength,
                                          ImapInputLimits limits) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxFrameLength);
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (requestInFlight && lineHandlers.get() == 0) {
            // IDLE's DONE and AUTHENTICATE's continuations go to their line handler; any other input waits its turn
            if (in.readableBytes() > MAX_HELD_BACK && ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        int before = out.size();
        decodeOne(ctx, in, out);
        if (out.size() > before) {
            holdUntilProcessed(ctx);
        }
    }

    /**
     * Holds further input until the request just decoded has been processed and its responses written:
     * {@link DetachedRequestProcessor} runs the hook left in the session when the request ends.
     */
    private void holdUntilProcessed(ChannelHandlerContext ctx) {
        ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        if (session == null) {
            return;
        }
        requestInFlight = true;
        session.setAttribute(DetachedRequestProcessor.REQUEST_DONE_HOOK, (Runnable) () -> ctx.executor().execute(() -> resume(ctx)));
    }

    private void resume(ChannelHandlerContext ctx) {
        if (!requestInFlight) {
            return;
        }
        requestInFlight = false;
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (ctx.channel().isActive() && !ctx.isRemoved()) {
            try {
                // decodes what arrived meanwhile (at most the next request, which holds the input again)
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }
    }

    private void decodeOne(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (lineHandlers.get() == 0 && !streamingToFile(ctx)) {
            ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
            boolean authenticated = session != null && (session.getState() == ImapSessionState.AUTHENTICATED
                || session.getState() == ImapSessionState.SELECTED);
            int start = in.readerIndex();
            ImapCommandScanner.Verdict verdict = ImapCommandScanner.scan(index -> in.getByte(start + index),
                in.readableBytes(), authenticated, limits);
            if (verdict instanceof ImapCommandScanner.Refuse refuse) {
                refuse(ctx, in, refuse, authenticated);
                return;
            }
        }
        super.decode(ctx, in, out);
    }

    private static boolean streamingToFile(ChannelHandlerContext ctx) {
        Map<String, Object> attachment = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        return attachment != null && attachment.containsKey(SINK);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, ImapCommandScanner.Refuse refuse, boolean authenticated) {
        in.skipBytes(in.readableBytes());
        boolean close = !authenticated || !refuse.resumable();
        LOGGER.info("IMAP command refused from {}: {}{}", ctx.channel().remoteAddress(), refuse.text(),
            close ? " (connection closed)" : "");
        StringBuilder reply = new StringBuilder()
            .append(refuse.tag()).append(" BAD [").append(refuse.code()).append("] ").append(refuse.text()).append("\r\n");
        if (close) {
            closing = true;
            reply.append("* BYE Connection closed\r\n");
            ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Map<String, Object> attachment = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        if (attachment != null) {
            attachment.remove(NEEDED_DATA);
        }
        enableFraming(ctx);
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII));
    }

    @Override
    public void pushLineHandler(ChannelInboundHandlerAdapter lineHandlerUpstreamHandler) {
        lineHandlers.incrementAndGet();
        super.pushLineHandler(lineHandlerUpstreamHandler);
    }

    @Override
    public void popLineHandler() {
        lineHandlers.updateAndGet(count -> Math.max(0, count - 1));
        super.popLineHandler();
    }
}
