package ebnn.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The Felix container the Pax Exam tests start (the app's bundles from the reactor), and Gogo helpers. */
final class Container {
    private Container() {
    }

    /** The ebnn bundles of the application (reactor modules), in the order they are installed. */
    static final String[] EBNN = { "ebnn.api", "ebnn.core", "ebnn.runtime.java", "ebnn.train", "ebnn.import.onnx", "ebnn.codegen.c", "ebnn.measure",
            "ebnn.shell" };

    static Option[] options() {
        return options(List.of());
    }

    /** The container without some of the ebnn bundles (e.g. without ebnn.train: the shell must work without the trainer). */
    static Option[] without(String... bundles) {
        return options(List.of(bundles));
    }

    private static Option[] options(List<String> without) {
        List<Option> o = new ArrayList<>(List.of(
                systemProperty("org.ops4j.pax.url.mvn.repositories").value("https://repo1.maven.org/maven2@id=central"),
                systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"),
                systemProperty("gosh.args").value("--nointeractive"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                systemProperty("ebnn.bundle.ebnn.example.backend").value(Bundles.jar("ebnn.example.backend").getPath()),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.command").versionAsInProject(),
                mavenBundle("org.jline", "jline").versionAsInProject(), // the shell's interactive line editing
                mavenBundle("org.ow2.asm", "asm").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-commons").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-util").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-tree").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-analysis").versionAsInProject(),
                mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject().noStart(),
                mavenBundle("com.google.protobuf", "protobuf-java").versionAsInProject(),
                junitBundles(),
                cleanCaches()));
        for (String b : EBNN)
            if (!without.contains(b))
                o.add(bundle(Bundles.reference(b)));
        return o.toArray(new Option[0]);
    }

    /** Output of one Gogo command: standard output, standard error, and the ebnn exit status (null for non-ebnn commands). */
    record Run(String out, String err, Integer status) {
    }

    /** Runs one command line in a fresh Gogo session, the way a user at the console does. */
    static Run run(CommandProcessor processor, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), pout, perr);
        try {
            s.execute(command);
            Object status = s.get("ebnn.status");
            pout.flush();
            perr.flush();
            return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    status instanceof Integer i ? i : null);
        } finally {
            s.close();
        }
    }

    static Bundle find(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles())
            if (symbolicName.equals(b.getSymbolicName()))
                return b;
        return null;
    }

    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (String l : s.split("\\R"))
            if (!l.isBlank())
                out.add(l);
        return out;
    }
}
