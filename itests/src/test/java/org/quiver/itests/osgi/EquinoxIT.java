package org.quiver.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.runner.RunWith;
import org.quiver.itests.TestHdfs;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The Quiver bundles in Eclipse Equinox (the Failsafe execution {@code equinox} has only Equinox on the class path). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EquinoxIT extends ManagementTests {

    @Configuration
    public Option[] config() {
        TestHdfs.start(); // here, in the driver, before the framework starts
        return OptionUtils.combine(quiverOptions(), options(
                // Errors only from the framework log.
                frameworkProperty("eclipse.log.level").value("ERROR")));
    }

    @Override
    protected String expectedSystemBundle() {
        return "org.eclipse.osgi";
    }
}
