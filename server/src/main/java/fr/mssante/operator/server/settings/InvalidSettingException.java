package fr.mssante.operator.server.settings;

/** A deployment setting has an unusable value; the message names the setting. */
public class InvalidSettingException extends IllegalArgumentException {
    public InvalidSettingException(Setting setting, String problem) {
        super("Invalid setting " + setting.names() + ": " + problem);
    }
}
