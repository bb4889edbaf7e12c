package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.quiver.launcher.testbundle.Deployed;

/**
 * The Quiver page of the web console, as an operator uses it: the headless server with a deployed bundle that
 * holds memory, the page opened in a real browser (Debian's headless chromium, driven through its chromedriver),
 * its figures checked against what the server's pools say over JMX (the JDK's own agent on 127.0.0.1), the
 * default pool switched, a bundle's limit set and memory released from the page, each confirmed in the browser's
 * dialog. The login is the password the launcher generated at the first start (the console's built-in one is
 * refused). Bad requests (no login, another origin, an unknown backend, a negative or malformed limit) are refused
 * with their reason, and nothing changes. The page's screenshot is written to target/webconsole.png.
 */
class WebConsoleIT {

    private static final String DEPLOYED = "org.quiver.launcher.deployed";
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path scratch;
    private Path tmp;
    private Launch launch;
    private Process server;
    private WebDriver browser;
    private JMXConnector jmxConnector;
    private MBeanServerConnection jmx;
    private String origin;
    private String password;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startTheServer() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) {
            assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                    "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        }
        tmp = Files.createDirectory(scratch.resolve("tmp"));
        int jmxPort = freePort();
        launch = Launch.privateHome(scratch, tmp)
                .jvmOption("-Dcom.sun.management.jmxremote.port=" + jmxPort)
                .jvmOption("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort)
                .jvmOption("-Dcom.sun.management.jmxremote.host=127.0.0.1")
                .jvmOption("-Djava.rmi.server.hostname=127.0.0.1")
                .jvmOption("-Dcom.sun.management.jmxremote.authenticate=false")
                .jvmOption("-Dcom.sun.management.jmxremote.ssl=false");
        Launch.writeBundle(launch.home().resolve("deploy").resolve("deployed.jar"), DEPLOYED, "1.0.0",
                Deployed.class, "org.osgi.framework,org.quiver.memory");
        ProcessBuilder pb = launch.process("server");
        Path err = scratch.resolve("server.err");
        pb.redirectOutput(scratch.resolve("server.out").toFile()).redirectError(err.toFile());
        server = pb.start();
        Pattern console = Pattern.compile("web console (http://127\\.0\\.0\\.1:\\d+)/system/console/quiver");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path log = tmp.resolveSibling("data").resolve("log").resolve(Logs.FILE);
        while (origin == null || !Files.exists(log) || !Files.readString(log).contains("deployed bundle 1.0.0 started")) {
            Matcher m = console.matcher(Files.readString(err));
            if (m.find()) {
                origin = m.group(1);
            }
            if (System.nanoTime() > deadline || !server.isAlive()) {
                throw new AssertionError("the server did not start its web console with the bundle:\n"
                        + Files.readString(err));
            }
            Thread.sleep(100);
        }
        assertTrue(Files.readString(err).contains("web console password generated for this data folder (login admin,"
                + " password in " + tmp.resolveSibling("data").resolve(ConsoleLogin.FILE)), "the first start says so");
        password = Files.readString(tmp.resolveSibling("data").resolve(ConsoleLogin.FILE)).strip();
        // The RMI registry's own naming factory: the test class path's MiniDFSCluster jar brings a jndi.properties
        // that names Jetty's.
        jmxConnector = JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"), Map.of(
                        javax.naming.Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.rmi.registry.RegistryContextFactory"));
        jmx = jmxConnector.getMBeanServerConnection();
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (jmxConnector != null) {
                jmxConnector.close();
            }
        } finally {
            if (server != null && server.isAlive()) {
                server.toHandle().destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
        if (tmp != null) {
            assertEquals(List.of(), Launch.entries(tmp), "left behind in the temporary folder");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Object attribute(String name, String attribute) throws Exception {
        return jmx.getAttribute(new ObjectName(name), attribute);
    }

    private ObjectName deployedView() throws Exception {
        var names = jmx.queryNames(new ObjectName("org.quiver:type=BundlePool,name=" + DEPLOYED + ",*"), null);
        assertEquals(1, names.size(), names::toString);
        return names.iterator().next();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(Map<String, String> form, String originHeader, boolean login) throws Exception {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            body.append(body.isEmpty() ? "" : "&").append(e.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + "/system/console/quiver/action"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (originHeader != null) {
            b.header("Origin", originHeader);
        }
        if (login) {
            b.header("Authorization", basic("admin", password));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badRequestsAreRefusedWithTheirReasonAndChangeNothing() throws Exception {
        String before = (String) attribute("org.quiver:type=Platform", "DefaultPool");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(origin
                + "/system/console/quiver/data.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "no login, no figures");
        HttpResponse<String> builtIn = http.send(HttpRequest.newBuilder(URI.create(origin
                + "/system/console/quiver/data.json")).header("Authorization", basic("admin", "admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, builtIn.statusCode(), "the console's built-in password does not open it");
        assertEquals(401, post(Map.of("action", "switch", "backend", "system"), origin, false).statusCode());

        HttpResponse<String> foreign = post(Map.of("action", "switch", "backend", "system"), "http://evil.example",
                true);
        assertEquals(403, foreign.statusCode(), foreign::body);
        assertTrue(foreign.body().contains("a request from another origin (http://evil.example, not " + origin + ")"),
                foreign::body);
        HttpResponse<String> noOrigin = post(Map.of("action", "trim"), null, true);
        assertEquals(403, noOrigin.statusCode(), noOrigin::body);
        // A refusal leaves the kept-alive connection usable: the client's next request on it gets its answer.
        for (int i = 0; i < 25; i++) {
            assertEquals(403, post(Map.of("action", "trim"), null, true).statusCode(), "refusal " + i);
            assertEquals(401, post(Map.of("action", "trim"), origin, false).statusCode(), "login " + i);
            assertEquals(403, post(Map.of("action", "trim"), "http://evil.example", true).statusCode(), "origin " + i);
        }

        HttpResponse<String> unknown = post(Map.of("action", "switch", "backend", "nosuch"), origin, true);
        assertEquals(400, unknown.statusCode(), unknown::body);
        assertTrue(unknown.body().contains("switch to 'nosuch' refused: unknown memory pool backend 'nosuch'"),
                unknown::body);
        assertEquals(before, attribute("org.quiver:type=Platform", "DefaultPool"), "nothing switched");

        String view = deployedView().toString();
        for (String bad : List.of("-5", "lots", "12q")) {
            HttpResponse<String> r = post(Map.of("action", "limit", "view", view, "limit", bad), origin, true);
            assertEquals(400, r.statusCode(), r::body);
            assertTrue(r.body().contains("limit of bundle " + DEPLOYED), r.body());
            assertTrue(r.body().contains(bad.startsWith("-") ? "negative limit '-5'" : "not a size: '" + bad + "'"),
                    r::body);
        }
        assertEquals(-1L, jmx.getAttribute(deployedView(), "Limit"), "no limit was set");
        HttpResponse<String> gone = post(Map.of("action", "limit", "view", "org.quiver:type=ChildPool,name=x,id=0",
                "limit", "1m"), origin, true);
        assertEquals(400, gone.statusCode(), gone::body);
        HttpResponse<String> what = post(Map.of("action", "explode"), origin, true);
        assertEquals(400, what.statusCode(), what::body);
        assertTrue(what.body().contains("unknown action 'explode'"), what::body);
    }

    private WebDriver browser() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withEnvironment(Map.of("TMPDIR", tmp.toString())).withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,1000", "--user-data-dir=" + scratch.resolve("chromium-profile"));
        browser = new ChromeDriver(service, options);
        return browser;
    }

    private static void await(WebDriver browser, String what, java.util.function.Function<WebDriver, Boolean> done) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what).until(done::apply);
    }

    private static String text(WebDriver browser, String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static WebElement row(WebDriver browser, String table, String attribute, String value) {
        return browser.findElement(By.cssSelector("#" + table + " tr[" + attribute + "='" + value + "']"));
    }

    private void confirm(WebDriver browser) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            try {
                d.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException notYet) {
                return false;
            }
        });
    }

    @Test
    void thePageShowsThePoolsAndItsActionsApplyLive() throws Exception {
        WebDriver b = browser();
        b.get(origin.replace("http://", "http://admin:" + password + "@") + "/system/console/quiver");
        await(b, "the page to load its figures", d -> !d.findElements(By.cssSelector("#quiver[data-refreshed]"))
                .isEmpty());
        String serving = (String) attribute("org.quiver:type=Platform", "DefaultPool");
        assertEquals(serving, text(b, "#q-default"));
        assertTrue(text(b, "#q-reason").contains((String) attribute("org.quiver:type=Platform", "DefaultPoolReason")));
        for (String backend : List.of("system", "jemalloc", "mimalloc")) {
            String mbean = "org.quiver:type=MemoryBackend,name=" + backend;
            WebElement r = row(b, "q-backends", "data-backend", backend);
            boolean available = (Boolean) attribute(mbean, "Available");
            assertEquals(available, r.findElement(By.cssSelector("td.state")).getText().equals("available"),
                    r::getText);
            assertEquals(String.valueOf(attribute(mbean, "BytesAllocated")),
                    r.findElement(By.cssSelector("td.bytes")).getAttribute("data-value"), backend);
        }
        ObjectName view = deployedView();
        WebElement deployed = row(b, "q-views", "data-view", view.toString());
        assertTrue(deployed.getText().startsWith("bundle " + DEPLOYED + " ["), deployed::getText);
        assertEquals("4096", deployed.findElement(By.cssSelector("td.bytes")).getAttribute("data-value"));
        assertEquals(String.valueOf(jmx.getAttribute(view, "BytesAllocated")),
                deployed.findElement(By.cssSelector("td.bytes")).getAttribute("data-value"));
        assertEquals("1", deployed.findElement(By.cssSelector("td.live")).getText());
        assertEquals("none", deployed.findElement(By.cssSelector("td.limit")).getText());
        Files.write(Path.of("target", "webconsole.png"), ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));

        // Switch the default pool to system, confirmed in the browser's dialog.
        new org.openqa.selenium.support.ui.Select(b.findElement(By.id("q-backend"))).selectByValue("system");
        b.findElement(By.id("q-switch")).click();
        confirm(b);
        await(b, "the page to show the switch", d -> text(d, "#q-default").equals("system"));
        assertEquals("system", attribute("org.quiver:type=Platform", "DefaultPool"));
        assertEquals("'system' set at run time", attribute("org.quiver:type=Platform", "DefaultPoolReason"));
        assertTrue(text(b, "#q-message").startsWith("default pool: " + serving + " -> system"), text(b, "#q-message"));

        // A limit for the deployed bundle, typed in its row. The page updates its rows in place: what was typed
        // stays through a refresh with the focus elsewhere, and the row the operator holds is the same element.
        WebElement r = row(b, "q-views", "data-view", view.toString());
        WebElement input = r.findElement(By.cssSelector("input.limit"));
        input.sendKeys("1m");
        b.findElement(By.id("q-total")).click();
        String seen = b.findElement(By.id("quiver")).getDomAttribute("data-refreshed");
        await(b, "a refresh", d -> !seen.equals(d.findElement(By.id("quiver")).getDomAttribute("data-refreshed")));
        assertEquals("1m", input.getDomProperty("value"), "typed, then a refresh");
        r.findElement(By.cssSelector("button.set-limit")).click();
        confirm(b);
        await(b, "the limit to be set", d -> text(d, "#q-message").startsWith("limit of bundle " + DEPLOYED));
        assertEquals(1L << 20, jmx.getAttribute(view, "Limit"));
        await(b, "the row to show the limit", d -> r.findElement(By.cssSelector("td.limit")).getText()
                .equals("1.00 MiB"));
        assertEquals("", input.getDomProperty("value"), "an applied limit leaves its input");

        // A malformed limit typed on the page is refused there, and changes nothing.
        input.sendKeys("lots");
        r.findElement(By.cssSelector("button.set-limit")).click();
        confirm(b);
        await(b, "the refusal", d -> text(d, "#q-message").contains("not a size: 'lots'"));
        assertEquals("error", b.findElement(By.id("q-message")).getAttribute("class"));
        assertEquals(1L << 20, jmx.getAttribute(view, "Limit"));

        // Release unused memory.
        b.findElement(By.id("q-trim")).click();
        confirm(b);
        await(b, "the release", d -> text(d, "#q-message").startsWith("released unused memory"));
        assertFalse(b.findElement(By.id("q-chart")).getSize().getHeight() == 0, "the chart is drawn");
    }
}
