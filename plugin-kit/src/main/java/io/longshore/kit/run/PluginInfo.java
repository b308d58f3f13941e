package io.longshore.kit.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, revision and source address, filtered into the kit by Maven. */
public final class PluginInfo {
    private static final Properties PROPS = load();

    private PluginInfo() {}

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String revision() {
        return PROPS.getProperty("revision", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = PluginInfo.class.getResourceAsStream("/io/longshore/kit/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a missing version is not worth failing a pipeline for
        }
        return p;
    }
}
