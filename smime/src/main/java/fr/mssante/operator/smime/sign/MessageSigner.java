package fr.mssante.operator.smime.sign;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.activation.DataHandler;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.util.ByteArrayDataSource;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.crypto.Outcome;
import fr.mssante.operator.smime.crypto.Providers;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeEntities;

/** Signs a message as multipart/signed (detached, SHA-256). Never throws: failures come back as an {@link Outcome}. */
public final class MessageSigner {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSigner.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public MessageSigner(Clock clock) {
        this.clock = clock;
    }

    /** The signed message (outer headers kept, Content-* replaced by multipart/signed); the input is not modified. */
    public Outcome<MimeMessage> sign(MimeMessage message, KeyEntry key, SignOptions options) {
        try {
            byte[] entity = sevenBitSafe(MimeEntities.contentEntity(message));
            byte[] signature = signature(entity, key, options);
            byte[] boundary = new byte[12];
            RANDOM.nextBytes(boundary);
            byte[] signed = SmimeEntities.multipartSigned(entity, signature, "sha-256",
                    "----=_mss_signed_" + HexFormat.of().formatHex(boundary));
            MimeMessage result = MimeEntities.withEntity(message, signed);
            LOG.debug("S/MIME signed for {}", key.owner());
            return Outcome.success(result);
        } catch (Exception e) {
            LOG.debug("S/MIME signing failed ({})", e.getClass().getSimpleName());
            return Outcome.failure("signing failed: " + e.getClass().getSimpleName());
        }
    }

    private byte[] signature(byte[] entity, KeyEntry key, SignOptions options) throws Exception {
        String algorithm = key.privateKey().getAlgorithm().toUpperCase(Locale.ROOT).startsWith("EC")
                ? SignatureScheme.ECDSA_SHA256.jcaName() : options.rsaScheme().jcaName();
        JcaSignerInfoGeneratorBuilder infoBuilder = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().build());
        infoBuilder.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes()));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(infoBuilder.build(
                contentSigner(algorithm, key),
                key.certificate()));
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(key.certificate());
        if (options.includeChain()) {
            certificates.addAll(key.chain());
        }
        generator.addCertificates(new JcaCertStore(certificates));
        CMSSignedData signed = generator.generate(new CMSProcessableByteArray(entity), false);
        return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    /** JDK provider for PKCS#1 v1.5 and ECDSA (faster), BouncyCastle for RSASSA-PSS. */
    private static ContentSigner contentSigner(String algorithm, KeyEntry key) throws Exception {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm);
        if (algorithm.equals(SignatureScheme.RSA_PSS_SHA256.jcaName())) {
            builder.setProvider(Providers.BC);
        }
        return builder.build(key.privateKey());
    }

    private AttributeTable signedAttributes() {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        capabilities.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
        capabilities.addCapability(NISTObjectIdentifiers.id_aes256_CBC);
        capabilities.addCapability(NISTObjectIdentifiers.id_aes128_CBC);
        capabilities.addCapability(PKCSObjectIdentifiers.id_RSAES_OAEP);
        capabilities.addCapability(SMIMECapability.dES_EDE3_CBC);
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        return new AttributeTable(attributes);
    }

    /**
     * A single part in 8bit/binary transfer encoding is re-encoded (quoted-printable for text, else base64) so that
     * the signature survives 7-bit hops. Multipart bodies are signed as they are.
     */
    static byte[] sevenBitSafe(byte[] entity) throws Exception {
        MimeBodyPart part = new MimeBodyPart(new ByteArrayInputStream(entity));
        String encoding = part.getEncoding();
        ContentType type = new ContentType(part.getContentType());
        boolean eightBit = encoding != null
                && (encoding.equalsIgnoreCase("8bit") || encoding.equalsIgnoreCase("binary"));
        if (!eightBit || type.getPrimaryType().equalsIgnoreCase("multipart")
                || type.getPrimaryType().equalsIgnoreCase("message")) {
            return entity;
        }
        byte[] content = MimeEntities.readAll(part.getInputStream());
        MimeBodyPart reencoded = new MimeBodyPart();
        reencoded.setDataHandler(new DataHandler(new ByteArrayDataSource(content, part.getContentType())));
        reencoded.setHeader("Content-Type", part.getContentType());
        for (String name : new String[] {"Content-Disposition", "Content-ID", "Content-Description", "Content-Language"}) {
            String value = part.getHeader(name, null);
            if (value != null) {
                reencoded.setHeader(name, value);
            }
        }
        reencoded.setHeader("Content-Transfer-Encoding",
                type.getPrimaryType().equalsIgnoreCase("text") ? "quoted-printable" : "base64");
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length * 2);
        reencoded.writeTo(out);
        return MimeEntities.toCrlf(out.toByteArray());
    }
}
