package fr.mssante.operator.dmp.standin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Collection;

import javax.sql.DataSource;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.openehealth.ipf.commons.ihe.ws.WsSecurityUnderstandingInInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.dmp.standin.http.DocumentsServlet;
import fr.mssante.operator.dmp.standin.store.DocumentStore;
import fr.mssante.operator.dmp.standin.vihf.VihfVerifier;
import fr.mssante.operator.dmp.standin.xds.XdsRoutes;

/**
 * The DMP stand-in server: embedded Tomcat 10.1 (HTTPS with client certificate required, or plain HTTP in
 * development) + the CXF servlet + Camel routes of IPF's {@code xds-iti41}/{@code xds-iti18} components, and the JSON
 * view on {@code /documents}. Paths are the DMP's: {@code /si-dmp-server/v2/services/repository} (ITI-41) and
 * {@code /registry} (ITI-18).
 */
public final class DmpStandIn implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpStandIn.class);

    private final Tomcat tomcat;
    private final DefaultCamelContext camel;
    private final Connector connector;
    private final boolean tls;

    private DmpStandIn(Tomcat tomcat, DefaultCamelContext camel, Connector connector, boolean tls) {
        this.tomcat = tomcat;
        this.camel = camel;
        this.connector = connector;
        this.tls = tls;
    }

    /** Starts the server on a migrated {@code dmp_standin} schema (see StandInDatabase). */
    public static DmpStandIn start(StandInSettings settings, DataSource dataSource, Clock clock) throws Exception {
        DocumentStore store = new DocumentStore(dataSource);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(settings.workDir().toAbsolutePath().toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(settings.port());
        connector.setProperty("address", settings.bindAddress());
        connector.setThrowOnFailure(true);
        if (settings.tls() != null) {
            configureTls(connector, settings.tls());
        }
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        CXFNonSpringServlet cxf = new CXFNonSpringServlet();
        cxf.setBus(BusFactory.getDefaultBus());
        Tomcat.addServlet(context, "cxf", cxf).setLoadOnStartup(1);
        context.addServletMappingDecoded("/*", "cxf");
        Tomcat.addServlet(context, "documents", new DocumentsServlet(store));
        context.addServletMappingDecoded("/documents", "documents");
        context.addServletMappingDecoded("/documents/*", "documents");
        tomcat.start();

        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            camel.getRegistry().bind("wsSecurityUnderstanding", new WsSecurityUnderstandingInInterceptor());
            camel.addRoutes(new XdsRoutes(new VihfVerifier(settings.vihfTrustedCas(), clock), store,
                settings.unknownPatients(), clock));
            camel.start();
        } catch (Exception | Error e) {
            camel.close();
            stopQuietly(tomcat);
            throw e;
        }
        DmpStandIn standIn = new DmpStandIn(tomcat, camel, connector, settings.tls() != null);
        LOGGER.info("DMP stand-in listening on {}://{}:{} (client certificate {})", standIn.scheme(),
            settings.bindAddress(), standIn.port(), settings.tls() != null ? "required" : "not asked: plain HTTP");
        return standIn;
    }

    private static void configureTls(Connector connector, StandInSettings.Tls tls) throws IOException,
        GeneralSecurityException {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            keystore.load(in, tls.keystorePassword());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(tls.clientCas())) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        int i = 0;
        for (Certificate ca : cas) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        ssl.setProtocols("TLSv1.2+TLSv1.3");
        ssl.setCertificateVerification("required");
        ssl.setTrustStore(trust);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
        certificate.setCertificateKeystore(keystore);
        certificate.setCertificateKeystorePassword(new String(tls.keystorePassword()));
        ssl.addCertificate(certificate);
        connector.addSslHostConfig(ssl);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String scheme() {
        return tls ? "https" : "http";
    }

    /** e.g. {@code https://127.0.0.1:18090/si-dmp-server/v2/services/repository} */
    public String repositoryUrl(String host) {
        return scheme() + "://" + host + ":" + port() + "/" + XdsRoutes.REPOSITORY_PATH;
    }

    public String registryUrl(String host) {
        return scheme() + "://" + host + ":" + port() + "/" + XdsRoutes.REGISTRY_PATH;
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            LOGGER.warn("Camel did not stop cleanly", e);
        }
        stopQuietly(tomcat);
        LOGGER.info("DMP stand-in stopped");
    }

    private static void stopQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOGGER.warn("Tomcat did not stop cleanly", e);
        }
    }
}
