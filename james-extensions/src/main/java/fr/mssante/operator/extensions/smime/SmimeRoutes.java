package fr.mssante.operator.extensions.smime;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Request;
import spark.Response;
import spark.Service;

import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;
import fr.mssante.operator.smime.policy.EffectivePolicy;
import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.PolicyRepository;
import fr.mssante.operator.smime.policy.PolicyResolver;
import fr.mssante.operator.smime.policy.PolicyScope;
import fr.mssante.operator.smime.policy.PolicySettings;
import fr.mssante.operator.smime.policy.SignMode;

/**
 * WebAdmin routes (JWT-protected) to administer S/MIME:
 * <ul>
 *   <li>{@code PUT /mss/smime/policies/{operator|domain|mailbox}/{key}?sign=INHERIT|NEVER|ALWAYS&encrypt=INHERIT|NEVER|WHEN_POSSIBLE|REQUIRED},
 *       {@code DELETE} the same, {@code GET /mss/smime/policies/effective/{mailbox}} (with where each value comes from);</li>
 *   <li>{@code PUT /mss/smime/certificates/{email}} with a PEM certificate body (a correspondent's encryption certificate);</li>
 *   <li>{@code PUT /mss/smime/keys/{mailbox}} with a PKCS#12 body and its password in the {@code X-Password} header
 *       (stored encrypted under the master key; 409 when no master key is configured).</li>
 * </ul>
 * For {@code operator}, the key is {@code -}.
 */
public class SmimeRoutes implements Routes {
    static final String BASE = "/mss/smime";

    private final PolicyRepository policies;
    private final PolicyResolver resolver;
    private final CertificateRepository certificates;
    private final PrivateKeyStore keys;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public SmimeRoutes(DataSource dataSource, CertificateRepository certificates, PrivateKeyStore keys) {
        this.policies = new PolicyRepository(dataSource);
        this.resolver = new PolicyResolver(policies, SmimeModule.DEFAULTS);
        this.certificates = certificates;
        this.keys = keys;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.put(BASE + "/policies/:scope/:key", JsonRoute.of(this::savePolicy), json);
        service.delete(BASE + "/policies/:scope/:key", JsonRoute.of((request, response) -> {
            return Map.of("deleted", policies.delete(scope(request), key(request)));
        }), json);
        service.get(BASE + "/policies/effective/:mailbox", JsonRoute.of((request, response) -> {
            EffectivePolicy effective = resolver.resolve(request.params("mailbox"));
            return Map.of("sign", effective.sign().name(), "signOrigin", effective.signOrigin(),
                "encrypt", effective.encrypt().name(), "encryptOrigin", effective.encryptOrigin());
        }), json);
        service.put(BASE + "/certificates/:email", JsonRoute.of((request, response) -> {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(request.bodyAsBytes()));
            certificates.store(request.params("email").toLowerCase(Locale.ROOT), certificate,
                CertificateRepository.Source.CONFIGURATION);
            return Map.of("email", request.params("email"), "subject", certificate.getSubjectX500Principal().getName(),
                "notAfter", certificate.getNotAfter().toInstant().toString());
        }), json);
        service.put(BASE + "/keys/:mailbox", JsonRoute.of(this::storeKey), json);
    }

    private Object savePolicy(Request request, Response response) {
        PolicySettings settings = new PolicySettings(
            SignMode.valueOf(Optional.ofNullable(request.queryParams("sign")).orElse("INHERIT").toUpperCase(Locale.ROOT)),
            EncryptMode.valueOf(Optional.ofNullable(request.queryParams("encrypt")).orElse("INHERIT").toUpperCase(Locale.ROOT)));
        policies.save(scope(request), key(request), settings);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", scope(request).name());
        body.put("key", key(request));
        body.put("sign", settings.sign().name());
        body.put("encrypt", settings.encrypt().name());
        return body;
    }

    private Object storeKey(Request request, Response response) throws Exception {
        if (!(keys instanceof KeyStoreRepository repository)) {
            response.status(409);
            return Map.of("error", "no S/MIME key store: set MSS_SMIME_MASTER_KEY");
        }
        char[] password = Optional.ofNullable(request.headers("X-Password")).orElse("").toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(request.bodyAsBytes()), password);
        for (String alias : Collections.list(store.aliases())) {
            if (store.getKey(alias, password) instanceof PrivateKey privateKey) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) certificate);
                }
                repository.store(request.params("mailbox").toLowerCase(Locale.ROOT), chain.get(0), chain, privateKey);
                return Map.of("mailbox", request.params("mailbox"), "subject", chain.get(0).getSubjectX500Principal().getName());
            }
        }
        throw new IllegalArgumentException("the PKCS#12 file holds no private key");
    }

    private static PolicyScope scope(Request request) {
        return PolicyScope.valueOf(request.params("scope").toUpperCase(Locale.ROOT));
    }

    private static String key(Request request) {
        String key = request.params("key");
        return "-".equals(key) ? "" : key.toLowerCase(Locale.ROOT);
    }
}
