package org.quiver.platform.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code quiver:start} and {@code quiver:stop}: bundles by symbolic name, as an operator names them (and as
 * Karaf's {@code bundle:start} takes them), or by id. Felix's own {@code start} takes an id or a URL, so
 * {@code start org.quiver.pool.mimalloc} failed there with {@code MalformedURLException}; the Quiver shell looks
 * in the {@code quiver} scope first, so the plain {@code start} and {@code stop} are these.
 */
@Component(service = BundleCommands.class, property = {
        "osgi.command.scope=quiver",
        "osgi.command.function=start",
        "osgi.command.function=stop"})
public final class BundleCommands {

    /** How long {@code start} waits for a started bundle's services. */
    static final long SERVICE_WAIT_MILLIS = 10_000;

    private final BundleContext context;

    @Activate
    public BundleCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("start bundles, each by symbolic name (name/version when several versions are installed) or id;"
            + " returns when their services are registered")
    public String start(@Descriptor("symbolic name, symbolic name/version, or bundle id") String... bundles)
            throws BundleException, InterruptedException {
        List<Bundle> found = find(bundles);
        for (Bundle b : found) {
            b.start();
        }
        // Declarative Services may register a started bundle's components a moment later: wait for what each
        // advertises, so that the next command (quiver:pools) already sees the allocator serving.
        long deadline = System.nanoTime() + SERVICE_WAIT_MILLIS * 1_000_000L;
        List<String> missing = missingServices(found);
        while (!missing.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            missing = missingServices(found);
        }
        return missing.isEmpty() ? null
                : "started, but after " + SERVICE_WAIT_MILLIS + " ms still no " + String.join(", ", missing);
    }

    @Descriptor("stop bundles, each by symbolic name (name/version when several versions are installed) or id")
    public void stop(@Descriptor("symbolic name, symbolic name/version, or bundle id") String... bundles)
            throws BundleException {
        for (Bundle b : find(bundles)) {
            b.stop();
        }
    }

    /** The services ({@code Provide-Capability: osgi.service}) an active bundle advertises but has not registered. */
    private static List<String> missingServices(List<Bundle> bundles) {
        List<String> missing = new ArrayList<>();
        for (Bundle b : bundles) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (b.getState() != Bundle.ACTIVE || revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities("osgi.service")) {
                for (String type : objectClasses(c.getAttributes().get(Constants.OBJECTCLASS))) {
                    if (!registers(b, type)) {
                        missing.add(type + " from " + b.getSymbolicName());
                    }
                }
            }
        }
        return missing;
    }

    private static List<String> objectClasses(Object attribute) {
        if (attribute instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (attribute instanceof String[] array) {
            return List.of(array);
        }
        return attribute == null ? List.of() : List.of(String.valueOf(attribute));
    }

    private static boolean registers(Bundle bundle, String type) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            if (ref.getProperty(Constants.OBJECTCLASS) instanceof String[] classes
                    && List.of(classes).contains(type)) {
                return true;
            }
        }
        return false;
    }

    /** The bundles named, all found before any is touched (a typo in the third name changes nothing). */
    private List<Bundle> find(String[] names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("no bundle given: name bundles by symbolic name or id (lb lists them)");
        }
        List<Bundle> found = new ArrayList<>();
        for (String name : names) {
            found.add(find(name.trim()));
        }
        return found;
    }

    private Bundle find(String name) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            Bundle b = context.getBundle(Long.parseLong(name));
            if (b == null) {
                throw new IllegalArgumentException("no bundle has the id " + name + " (lb lists them)");
            }
            return b;
        }
        int slash = name.indexOf('/');
        String bsn = slash < 0 ? name : name.substring(0, slash);
        Version version = slash < 0 ? null : Version.parseVersion(name.substring(slash + 1));
        List<Bundle> matches = new ArrayList<>();
        TreeSet<String> similar = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            String symbolicName = b.getSymbolicName();
            if (bsn.equals(symbolicName) && (version == null || version.equals(b.getVersion()))) {
                matches.add(b);
            } else if (symbolicName != null && symbolicName.contains(bsn.substring(bsn.lastIndexOf('.') + 1))) {
                similar.add(symbolicName);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no bundle '" + name + "' is installed"
                    + (similar.isEmpty() ? "" : "; similar: " + String.join(", ", similar)) + " (lb -s lists them)");
        }
        if (matches.size() > 1) {
            List<String> versions = matches.stream().map(b -> bsn + "/" + b.getVersion()).toList();
            throw new IllegalArgumentException("several versions of " + bsn + " are installed; name one: "
                    + String.join(", ", versions));
        }
        return matches.get(0);
    }
}
