package fr.mssante.operator.smime.verify;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeType;

/**
 * Verifies S/MIME signatures: multipart/signed (detached) and application/(x-)pkcs7-mime signed-data (opaque), any
 * number of signers. Never throws on hostile input: anything that cannot be processed is a MALFORMED result.
 */
public final class SignatureVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifier.class);

    private final SignerChecker checker;

    /**
     * @param roots trusted roots (the MSSanté IGC-Santé roots in production)
     * @param revocation revocation status of each certificate of a signer's chain (CRL files, distribution points, OCSP)
     * @param revocationMode whether an undetermined status makes a signer bad (REQUIRE) or undetermined (BEST_EFFORT)
     * @param clock the verification instant (certificate and CRL validity)
     */
    public SignatureVerifier(Collection<X509Certificate> roots, RevocationSource revocation,
                             RevocationMode revocationMode, Clock clock) {
        this.checker = new SignerChecker(roots, revocation, revocationMode, clock);
    }

    public VerificationResult verify(MimeMessage message) {
        boolean opaque = false;
        try {
            SmimeType type = SmimeType.of(message);
            VerificationResult result;
            switch (type) {
                case MULTIPART_SIGNED -> result = verifyDetached(message);
                case SIGNED_DATA -> {
                    opaque = true;
                    result = verifyOpaque(message, MimeEntities.readAll(message.getInputStream()));
                }
                case PKCS7_MIME_UNKNOWN -> {
                    byte[] der = MimeEntities.readAll(message.getInputStream());
                    opaque = isSignedData(der);
                    result = opaque ? verifyOpaque(message, der) : VerificationResult.notSigned();
                }
                default -> result = VerificationResult.notSigned();
            }
            LOG.debug("S/MIME verification: {} ({} signer(s))", result.status(), result.signers().size());
            return result;
        } catch (Exception e) {
            LOG.debug("S/MIME verification: malformed ({})", e.getClass().getSimpleName());
            return VerificationResult.malformed(opaque);
        }
    }

    private VerificationResult verifyDetached(MimeMessage message) throws Exception {
        ContentType contentType = new ContentType(message.getContentType());
        String boundary = contentType.getParameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
            return VerificationResult.malformed(false);
        }
        byte[] body = MimeEntities.readAll(message.getRawInputStream());
        MimeMultipart multipart = new MimeMultipart(new ByteArrayDataSource(body, contentType.toString()));
        if (multipart.getCount() != 2) {
            return VerificationResult.malformed(false);
        }
        BodyPart signaturePart = multipart.getBodyPart(1);
        if (!SmimeType.isSignatureType(new ContentType(signaturePart.getContentType()).getBaseType())) {
            return VerificationResult.malformed(false);
        }
        byte[] signature = MimeEntities.readAll(signaturePart.getInputStream());
        Optional<byte[]> content = MimeEntities.firstPart(body, boundary);
        if (content.isEmpty()) {
            return VerificationResult.malformed(false);
        }
        byte[] raw = content.get();
        byte[] canonical = MimeEntities.toCrlf(raw);
        CMSSignedData asSent = new CMSSignedData(new CMSProcessableByteArray(raw), signature);
        CMSSignedData asCanonical = raw == canonical
                ? null : new CMSSignedData(new CMSProcessableByteArray(canonical), signature);
        List<SignerResult> signers = checker.check(asSent, asCanonical, MimeEntities.fromAddresses(message));
        return new VerificationResult(signers, Optional.empty(), false, Optional.empty());
    }

    private VerificationResult verifyOpaque(MimeMessage message, byte[] der) throws Exception {
        CMSSignedData signed = new CMSSignedData(der);
        CMSTypedData content = signed.getSignedContent();
        if (content == null || !(content.getContent() instanceof byte[] inner)) {
            return VerificationResult.malformed(true);
        }
        List<SignerResult> signers = checker.check(signed, null, MimeEntities.fromAddresses(message));
        Optional<MimeMessage> unwrapped;
        try {
            unwrapped = Optional.of(MimeEntities.withEntity(message, inner));
        } catch (IOException | MessagingException | RuntimeException e) {
            return new VerificationResult(signers, Optional.of(FailureReason.MALFORMED), true, Optional.empty());
        }
        return new VerificationResult(signers, Optional.empty(), true, unwrapped);
    }

    private static boolean isSignedData(byte[] der) {
        try {
            return CMSObjectIdentifiers.signedData.equals(
                    ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContentType());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
