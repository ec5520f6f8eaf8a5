package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * examples/embedding/osgi-bundle, built by Maven (bnd) against ebnn.api, installed in a Felix container
 * with the ebnn bundles: its DS component gets the Toolchain and the JVM InferenceEngine and answers
 * as a Gogo command.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OsgiEmbeddingTest {
    @Inject
    BundleContext context;

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() throws Exception {
        java.nio.file.Path dir = Examples.build("osgi-bundle", "package");
        List<Option> o = new ArrayList<>(List.of(Container.options()));
        o.add(bundle(dir.resolve("target/ebnn-embedding-osgi-bundle-1.jar").toUri().toString()));
        return o.toArray(new Option[0]);
    }

    @Test
    public void theBundleUsesTheServices() throws Exception {
        Bundle b = Container.find(context, "ebnn-embedding-osgi-bundle");
        assertEquals("the example bundle is active", Bundle.ACTIVE, b.getState());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps);
        Object result;
        long end = System.currentTimeMillis() + 10_000;
        while (true) { // the component registers once SCR has satisfied its references
            try {
                result = s.execute("example:digits " + Examples.root().resolve("examples/models/convpool-1.ebnn") + " "
                        + Examples.root().resolve("examples/digits"));
                break;
            } catch (Exception e) {
                if (System.currentTimeMillis() > end)
                    throw e;
                Thread.sleep(100);
            }
        }
        s.close();
        assertTrue(String.valueOf(result), String.valueOf(result).startsWith("16 of 16 digits right (convpool-1 on the jvm engine)"));
    }
}
