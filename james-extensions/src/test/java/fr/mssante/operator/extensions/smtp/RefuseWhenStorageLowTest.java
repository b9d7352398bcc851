package fr.mssante.operator.extensions.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.server.core.MailImpl;
import org.junit.jupiter.api.Test;

/** The data disk nearly full (issue 16 #4): clear 452 4.3.1 refusals before anything is accepted, and recovery alone. */
class RefuseWhenStorageLowTest {
    private static final long MIB = 1L << 20;

    @Test
    void refusesWithA452WhileLessThanTheReserveIsFreeAndAcceptsAgainOnceSpaceIsBack() throws Exception {
        AtomicLong free = new AtomicLong(10 * MIB);
        RefuseWhenStorageLow hook = configured("64M", free);

        HookResult refused = hook.doMail(null, MaybeSender.nullSender());
        assertThat(refused.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(refused.getSmtpRetCode()).isEqualTo("452");
        assertThat(refused.getSmtpDescription()).startsWith("4.3.1");

        free.set(65 * MIB);
        assertThat(hook.doMail(null, MaybeSender.nullSender())).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void atTheEndOfDataTheMessagesOwnSizeCounts() throws Exception {
        AtomicLong free = new AtomicLong(70 * MIB);
        RefuseWhenStorageLow hook = configured("64M", free);
        MailImpl small = mail("small", 1024);
        MailImpl large = mail("large", (int) (7 * MIB));

        assertThat(hook.onMessage(null, small)).isEqualTo(HookResult.DECLINED);
        assertThat(hook.onMessage(null, large).getSmtpRetCode()).isEqualTo("452");
    }

    @Test
    void anUnreadableVolumeRefusesRatherThanAcceptsAndZeroTurnsTheCheckOff() throws Exception {
        RefuseWhenStorageLow unreadable = new RefuseWhenStorageLow(() -> {
            throw new UncheckedIOException(new IOException("gone"));
        });
        assertThat(unreadable.doMail(null, MaybeSender.nullSender()).getSmtpRetCode()).isEqualTo("452");

        RefuseWhenStorageLow off = configured("0", new AtomicLong(0));
        assertThat(off.doMail(null, MaybeSender.nullSender())).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void readsItsReserveAndRefusesUnknownParameters() throws Exception {
        assertThat(configured("512K", new AtomicLong()).minFreeSpace()).isEqualTo(512 * 1024);
        assertThat(configured("2G", new AtomicLong()).minFreeSpace()).isEqualTo(2L << 30);
        assertThat(new RefuseWhenStorageLow(() -> 0).minFreeSpace()).isEqualTo(256 * MIB);
        assertThatThrownBy(() -> configured("lots", new AtomicLong())).isInstanceOf(ConfigurationException.class);
        BaseHierarchicalConfiguration unknown = new BaseHierarchicalConfiguration();
        unknown.addProperty("minFreeSpce", "1G");
        assertThatThrownBy(() -> new RefuseWhenStorageLow(() -> 0).init(unknown)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("minFreeSpce");
    }

    private static MailImpl mail(String name, int bytes) throws Exception {
        javax.mail.internet.MimeMessage message = new javax.mail.internet.MimeMessage(
            javax.mail.Session.getInstance(new java.util.Properties()));
        message.setText("x".repeat(bytes));
        message.saveChanges();
        return MailImpl.builder().name(name).mimeMessage(message).build();
    }

    private static RefuseWhenStorageLow configured(String reserve, AtomicLong free) throws ConfigurationException {
        RefuseWhenStorageLow hook = new RefuseWhenStorageLow(free::get);
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.addProperty("minFreeSpace", reserve);
        hook.init(config);
        return hook;
    }
}
