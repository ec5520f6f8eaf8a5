package ebnn.itest;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/**
 * README.md's commands are the ones that are tested: its test command is the one .ci/run runs,
 * and its main job is the one ExportedAppTest runs.
 */
public class ReadmeTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    static List<String> lines(String file) throws Exception {
        return Files.readAllLines(REPO.resolve(file)).stream().map(String::strip).toList();
    }

    @Test
    public void ciRunsReadmesTestCommand() throws Exception {
        String command = ".ci/install-toolchains && mvn -B verify";
        assertTrue("README gives the test command " + command, lines("README.md").contains(command));
        assertTrue(".ci/run runs exactly " + command, lines(".ci/run").contains(command));
    }

    @Test
    public void readmesMainJobIsTheTestedOne() throws Exception {
        String app = "java -jar cnf/target/ebnn.jar ";
        String mainJob = "mvn -B -q install -DskipTests && " + app + String.join(" ", ExportedAppTest.MAIN_JOB_COMPILE) + " && " + app
                + String.join(" ", ExportedAppTest.MAIN_JOB_CLASSIFY);
        assertTrue("README's main job is\n" + mainJob, lines("README.md").contains(mainJob));
        String host = app + String.join(" ", ExportedAppTest.HOST_EXAMPLE_COMPILE)
                + " && make -s -C target/mnist-host example && target/mnist-host/example";
        assertTrue("README's step 3 is\n" + host, lines("README.md").contains(host));
    }
}
