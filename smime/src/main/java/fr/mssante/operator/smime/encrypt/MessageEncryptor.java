package fr.mssante.operator.smime.encrypt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Collection;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.crypto.Outcome;
import fr.mssante.operator.smime.crypto.Providers;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeEntities;

/** Encrypts a message to recipient certificates (RSA key transport, or ECDH key agreement for EC certificates). */
public final class MessageEncryptor {
    private static final Logger LOG = LoggerFactory.getLogger(MessageEncryptor.class);

    /** The encrypted message (outer headers kept, body replaced by application/pkcs7-mime); the input is not modified. */
    public Outcome<MimeMessage> encrypt(MimeMessage message, Collection<X509Certificate> recipients, EncryptOptions options) {
        if (recipients.isEmpty()) {
            return Outcome.failure("no recipient certificate");
        }
        try {
            CMSProcessableByteArray content = new CMSProcessableByteArray(MimeEntities.contentEntity(message));
            JceCMSContentEncryptorBuilder encryptor = new JceCMSContentEncryptorBuilder(
                    options.cipher() == ContentCipher.AES256_GCM ? CMSAlgorithm.AES256_GCM : CMSAlgorithm.AES256_CBC)
                    .setProvider(Providers.CONTENT);
            byte[] entity;
            if (options.cipher() == ContentCipher.AES256_GCM) {
                CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
                for (X509Certificate certificate : recipients) {
                    generator.addRecipientInfoGenerator(recipientInfo(certificate, options));
                }
                byte[] der = generator.generate(content, (OutputAEADEncryptor) encryptor.build())
                        .toASN1Structure().getEncoded(ASN1Encoding.DER);
                entity = SmimeEntities.pkcs7Mime("authEnveloped-data", der);
            } else {
                CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                for (X509Certificate certificate : recipients) {
                    generator.addRecipientInfoGenerator(recipientInfo(certificate, options));
                }
                byte[] der = generator.generate(content, encryptor.build()).toASN1Structure().getEncoded(ASN1Encoding.DER);
                entity = SmimeEntities.pkcs7Mime("enveloped-data", der);
            }
            MimeMessage result = MimeEntities.withEntity(message, entity);
            LOG.debug("S/MIME encrypted to {} recipient(s) with {}", recipients.size(), options.cipher());
            return Outcome.success(result);
        } catch (Exception e) {
            LOG.debug("S/MIME encryption failed ({})", e.getClass().getSimpleName());
            return Outcome.failure("encryption failed: " + e.getClass().getSimpleName());
        }
    }

    private static RecipientInfoGenerator recipientInfo(X509Certificate certificate, EncryptOptions options) throws Exception {
        if (certificate.getPublicKey() instanceof ECPublicKey ec) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
            generator.initialize(ec.getParams());
            KeyPair ephemeral = generator.generateKeyPair();
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                    ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).addRecipient(certificate).setProvider(Providers.BC);
        }
        if (options.rsaOaep()) {
            OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            return new JceKeyTransRecipientInfoGenerator(certificate,
                    new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                            PKCSObjectIdentifiers.id_RSAES_OAEP, oaep))
                    .setProvider(Providers.BC);
        }
        return new JceKeyTransRecipientInfoGenerator(certificate).setProvider(Providers.BC);
    }
}
