package fr.mssante.operator.server.settings;

import java.util.Locale;

/**
 * Development (the default: development PKI, demo data, everything on loopback) or production (refuses
 * development keys and demo credentials).
 */
public enum RuntimeMode {
    DEVELOPMENT, PRODUCTION;

    static RuntimeMode parse(String value, Setting setting) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, "must be 'development' or 'production', got '" + value + "'");
        }
    }
}
