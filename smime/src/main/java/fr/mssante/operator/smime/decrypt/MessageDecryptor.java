package fr.mssante.operator.smime.decrypt;

import java.io.IOException;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.crypto.Providers;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeType;

/**
 * Decrypts enveloped-data (AES-CBC…) and authEnveloped-data (AES-GCM) for one mailbox, with RSA key transport
 * (PKCS#1 v1.5 or OAEP) or ECDH key agreement. Never throws on hostile input.
 *
 * <p>One mailbox per call, on purpose: the plaintext is what that mailbox's own key opens, for that mailbox only. A mail
 * with several recipients is split first (one copy per recipient) and each copy decrypted with its recipient's key;
 * trying the keys of several recipients on one copy would hand every recipient what was encrypted for one of them.
 */
public final class MessageDecryptor {
    private static final Logger LOG = LoggerFactory.getLogger(MessageDecryptor.class);

    private final PrivateKeyStore keys;

    public MessageDecryptor(PrivateKeyStore keys) {
        this.keys = keys;
    }

    /**
     * Whether this message may be encrypted (enveloped or authEnveloped data, or pkcs7-mime without a usable
     * smime-type): such a message must be split per recipient before {@link #decrypt}. Never throws.
     */
    public static boolean mayBeEncrypted(MimeMessage message) {
        try {
            SmimeType type = SmimeType.of(message);
            return type == SmimeType.ENVELOPED_DATA || type == SmimeType.AUTH_ENVELOPED_DATA
                    || type == SmimeType.PKCS7_MIME_UNKNOWN;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * @param message the incoming message
     * @param mailbox the one recipient this copy of the message is for: only that mailbox's keys are tried
     */
    public DecryptionResult decrypt(MimeMessage message, String mailbox) {
        DecryptionResult result;
        try {
            result = decryptOrThrow(message, mailbox);
        } catch (KeyStoreRepository.KeyStoreException e) {
            LOG.warn("S/MIME key store unavailable: {}", e.getMessage());
            result = DecryptionResult.of(DecryptionStatus.TEMPORARY_FAILURE);
        } catch (Exception e) {
            LOG.debug("S/MIME decryption: malformed ({})", e.getClass().getSimpleName());
            result = DecryptionResult.of(DecryptionStatus.MALFORMED);
        }
        LOG.debug("S/MIME decryption: {}", result.status());
        return result;
    }

    private DecryptionResult decryptOrThrow(MimeMessage message, String mailbox) throws Exception {
        SmimeType type = SmimeType.of(message);
        if (type != SmimeType.ENVELOPED_DATA && type != SmimeType.AUTH_ENVELOPED_DATA && type != SmimeType.PKCS7_MIME_UNKNOWN) {
            return DecryptionResult.of(DecryptionStatus.NOT_ENCRYPTED);
        }
        byte[] der = MimeEntities.readAll(message.getInputStream());
        ASN1ObjectIdentifier contentType = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContentType();
        RecipientInformationStore recipients;
        String algorithm;
        boolean authenticated;
        if (CMSObjectIdentifiers.envelopedData.equals(contentType)) {
            CMSEnvelopedData enveloped = new CMSEnvelopedData(der);
            recipients = enveloped.getRecipientInfos();
            algorithm = enveloped.getEncryptionAlgOID();
            authenticated = false;
        } else if (CMSObjectIdentifiers.authEnvelopedData.equals(contentType)) {
            CMSAuthEnvelopedData enveloped = new CMSAuthEnvelopedData(der);
            recipients = enveloped.getRecipientInfos();
            algorithm = enveloped.getEncryptionAlgOID();
            authenticated = true;
        } else if (type == SmimeType.PKCS7_MIME_UNKNOWN) {
            return DecryptionResult.of(DecryptionStatus.NOT_ENCRYPTED);
        } else {
            return DecryptionResult.of(DecryptionStatus.MALFORMED);
        }
        boolean matched = false;
        for (KeyEntry key : keys.keysFor(mailbox)) {
            if (!key.owner().equalsIgnoreCase(mailbox)) {
                continue;
            }
            Optional<byte[]> content = tryKey(recipients, key, authenticated);
            if (content == null) {
                continue;
            }
            matched = true;
            if (content.isPresent()) {
                MimeMessage decrypted = MimeEntities.withEntity(message, content.get());
                return new DecryptionResult(DecryptionStatus.DECRYPTED, Optional.of(decrypted),
                        Optional.of(key.owner()), Optional.of(algorithm), authenticated);
            }
        }
        return DecryptionResult.of(matched ? DecryptionStatus.FAILED : DecryptionStatus.NO_KEY);
    }

    /** GCM content is decrypted with BouncyCastle (its CMS AEAD stream does not work over SunJCE), CBC with the JDK. */
    private static Recipient recipient(RecipientInformation info, KeyEntry key, boolean bouncyCastle, boolean aead) {
        Provider content = aead ? Providers.BC : Providers.CONTENT;
        if (info instanceof KeyTransRecipientInformation) {
            JceKeyTransEnvelopedRecipient recipient = new JceKeyTransEnvelopedRecipient(key.privateKey());
            if (bouncyCastle) {
                recipient.setProvider(Providers.BC);
            }
            return recipient.setContentProvider(content);
        }
        return new JceKeyAgreeEnvelopedRecipient(key.privateKey()).setProvider(Providers.BC).setContentProvider(content);
    }

    /** null: no RecipientInfo for this key; empty: one matched but decryption failed. */
    private static Optional<byte[]> tryKey(RecipientInformationStore recipients, KeyEntry key, boolean aead) throws IOException,
            CertificateEncodingException {
        JcaX509CertificateHolder holder = new JcaX509CertificateHolder(key.certificate());
        Optional<byte[]> result = null;
        for (RecipientInformation info : recipients.getRecipients()) {
            if (!info.getRID().match(holder)) {
                continue;
            }
            if (!(info instanceof KeyTransRecipientInformation) && !(info instanceof KeyAgreeRecipientInformation)) {
                continue;
            }
            try {
                return Optional.of(info.getContent(recipient(info, key, false, aead)));
            } catch (Exception e) {
                result = Optional.empty();
            }
            try {
                // JDK first (faster RSA); BouncyCastle for what the JDK lacks (some OAEP and ECDH KDF variants)
                return Optional.of(info.getContent(recipient(info, key, true, aead)));
            } catch (Exception e) {
                result = Optional.empty();
            }
        }
        return result;
    }
}
