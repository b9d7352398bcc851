package fr.mssante.operator.smime.testing;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import fr.mssante.operator.smime.crypto.Providers;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeEntities;

/** CMS structures built directly with BouncyCastle, for cases our signer does not produce (opaque, several signers). */
public final class CmsFixtures {
    private CmsFixtures() {
    }

    public static byte[] signedData(byte[] content, boolean encapsulate, TestPki.Issued... signers) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        List<X509Certificate> certificates = new ArrayList<>();
        for (TestPki.Issued signer : signers) {
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Providers.BC).build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.BC).build(signer.key()),
                            signer.certificate()));
            certificates.add(signer.certificate());
        }
        generator.addCertificates(new JcaCertStore(certificates));
        return generator.generate(new CMSProcessableByteArray(content), encapsulate).toASN1Structure()
                .getEncoded(ASN1Encoding.DER);
    }

    /** Opaque signed message; {@code contentType} application/pkcs7-mime or application/x-pkcs7-mime. */
    public static MimeMessage opaque(MimeMessage message, String contentType, TestPki.Issued... signers) throws Exception {
        byte[] der = signedData(MimeEntities.contentEntity(message), true, signers);
        byte[] entity = SmimeEntities.pkcs7Mime("signed-data", der);
        String replaced = new String(entity, java.nio.charset.StandardCharsets.US_ASCII)
                .replaceFirst("application/pkcs7-mime", contentType);
        return MimeEntities.withEntity(message, replaced.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** multipart/signed with several signers. */
    public static MimeMessage detached(MimeMessage message, TestPki.Issued... signers) throws Exception {
        byte[] entity = MimeEntities.contentEntity(message);
        byte[] der = signedData(entity, false, signers);
        return MimeEntities.withEntity(message, SmimeEntities.multipartSigned(entity, der, "sha-256", "b-fixture"));
    }
}
