package fr.mssante.operator.healthspace;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The citizens' health-space inbox (docs/features/health-space.md). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HealthSpaceApplication {
    public static void main(String[] args) {
        SpringApplication.run(HealthSpaceApplication.class, args);
    }
}
