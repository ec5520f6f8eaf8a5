package ebnn.shell;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Keeps the console of the command line clean: Aries SPI Fly (the service-loader mediator SLF4J
 * needs in OSGi) reports every provider it registers through java.util.logging at INFO, which would
 * print two lines before every command's output. Raised to WARNING unless
 * {@code -Debnn.log.spifly=INFO} (or another level) asks otherwise.
 */
@Component(immediate = true, service = LogSetup.class)
public class LogSetup {
    // JUL holds loggers weakly; keep ours so the level sticks
    private static final Logger SPIFLY = Logger.getLogger("org.apache.aries.spifly");

    @Activate
    void activate() {
        String level = System.getProperty("ebnn.log.spifly", "WARNING");
        try {
            SPIFLY.setLevel(Level.parse(level));
        } catch (IllegalArgumentException e) {
            SPIFLY.setLevel(Level.WARNING);
        }
    }
}
