package org.quiver.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.quiver.platform.management.ChildPoolMXBean;
import org.quiver.platform.management.MemoryBackendMXBean;
import org.quiver.platform.management.QuiverPlatformMXBean;

/**
 * The Quiver page of the Apache Felix Web Console ({@code /system/console/quiver}): the pools with their
 * availability and figures, the bundles and child pools against their limits, a chart of the allocated bytes of
 * the last ten minutes, and the actions (switch the default pool, release unused memory, set a limit), each asked
 * for confirmation on the page and applied live. It reads and acts through the MXBeans the platform bundle
 * publishes as services, so it shows what JMX shows. The console authenticates every request before it gets
 * here; an action must also come from the console's own origin.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + QuiverConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Quiver memory",
        ServletConstants.PLUGIN_CATEGORY + "=Quiver",
        ServletConstants.PLUGIN_CSS_REFERENCES + "=/" + QuiverConsolePlugin.LABEL + "/res/quiver.css"})
public final class QuiverConsolePlugin extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "quiver";
    private static final String OBJECT_NAME = "jmx.objectname";
    /** The most of a body that is not a form an action request reads and drops before it answers. */
    private static final long MAX_BODY = 64 * 1024;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile QuiverPlatformMXBean platform;

    private final transient Map<String, MemoryBackendMXBean> backends = new ConcurrentHashMap<>();
    private final transient Map<String, ChildPoolMXBean> views = new ConcurrentHashMap<>();
    private transient History history;
    private transient ScheduledExecutorService sampler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(MemoryBackendMXBean backend, Map<String, Object> properties) {
        backends.put(String.valueOf(properties.get(OBJECT_NAME)), backend);
    }

    void removeBackend(MemoryBackendMXBean backend, Map<String, Object> properties) {
        backends.remove(String.valueOf(properties.get(OBJECT_NAME)), backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addView(ChildPoolMXBean view, Map<String, Object> properties) {
        views.put(String.valueOf(properties.get(OBJECT_NAME)), view);
    }

    void removeView(ChildPoolMXBean view, Map<String, Object> properties) {
        views.remove(String.valueOf(properties.get(OBJECT_NAME)), view);
    }

    @Activate
    void activate() {
        history = new History(() -> {
            QuiverPlatformMXBean p = platform;
            return p == null ? 0L : p.getBytesAllocatedInAllPools();
        }, () -> {
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (MemoryBackendMXBean b : backends.values()) {
                long n = b.getBytesAllocated();
                if (n >= 0) {
                    bytes.put(b.getName(), n);
                }
            }
            return bytes;
        });
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quiver-console-history");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            try {
                history.sample(System.currentTimeMillis());
            } catch (RuntimeException e) {
                // a backend going away between the list and the read: the next sample has it right
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    @Override
    protected URL getResource(String path) {
        String prefix = "/" + LABEL + "/res/";
        if (path != null && path.startsWith(prefix) && !path.contains("..")) {
            return getClass().getResource("/res/" + path.substring(prefix.length()));
        }
        return null;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String path = request.getPathInfo();
        if (path != null && path.equals("/" + LABEL + "/data.json")) {
            json(response, HttpServletResponse.SC_OK, data());
        } else if (path != null && path.startsWith("/" + LABEL + "/res/")) {
            super.doGet(request, response);
        }
        // else: the page itself, which the console renders around renderContent
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The body is read before any answer, a refusal included: Jetty closes a connection whose request body
        // was left unread once the answer is sent, and a client that already reused that kept-alive connection
        // for its next request (as java.net.http does) sees it fail with no answer at all.
        Map<String, String> params = readForm(request);
        String path = request.getPathInfo();
        if (path == null || !path.equals("/" + LABEL + "/action")) {
            json(response, HttpServletResponse.SC_NOT_FOUND, Map.of("ok", false, "error", "no such action path: "
                    + path + " (POST " + LABEL + "/action)"));
            return;
        }
        String foreign = foreignOrigin(request);
        if (foreign != null) {
            json(response, HttpServletResponse.SC_FORBIDDEN, Map.of("ok", false, "error", foreign));
            return;
        }
        try {
            String message = Actions.run(params, platform, backends, views);
            log("Quiver console: " + message + " (by " + request.getRemoteUser() + ")");
            json(response, HttpServletResponse.SC_OK, Map.of("ok", true, "message", message));
        } catch (Actions.Refused e) {
            json(response, HttpServletResponse.SC_BAD_REQUEST, Map.of("ok", false, "error", e.getMessage()));
        }
    }

    /**
     * The action's form fields, with the whole request body read: the form's fields by the container, anything
     * else (a body of another type) skipped up to {@link #MAX_BODY} bytes, past which the connection is left for
     * the container to close.
     */
    private static Map<String, String> readForm(HttpServletRequest request) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : List.of("action", "backend", "view", "limit")) {
            String v = request.getParameter(name);
            if (v != null) {
                params.put(name, v);
            }
        }
        var in = request.getInputStream(); // empty when the container has read a form
        long skipped = 0;
        byte[] sink = new byte[8192];
        for (int n; skipped <= MAX_BODY && (n = in.read(sink)) > 0; ) {
            skipped += n;
        }
        return params;
    }

    /**
     * Why a request that would change something did not come from the console's own page, or null when it did:
     * its {@code Origin} (every browser sends one with a POST from a script), or else its {@code Referer}, must
     * be this server's scheme, host and port.
     */
    static String foreignOrigin(HttpServletRequest request) {
        String expected = request.getScheme() + "://" + request.getHeader("Host");
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equals(expected) ? null
                    : "refused: a request from another origin (" + origin + ", not " + expected + ")";
        }
        String referer = request.getHeader("Referer");
        if (referer != null && (referer.equals(expected) || referer.startsWith(expected + "/"))) {
            return null;
        }
        return "refused: a request with neither Origin nor Referer of " + expected
                + " (actions are taken from the console's page)";
    }

    private static void json(HttpServletResponse response, int status, Object value) throws IOException {
        setNoCache(response);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = Json.write(value).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** What the page shows, read from the MXBeans now. */
    Map<String, Object> data() {
        Map<String, Object> out = new LinkedHashMap<>();
        QuiverPlatformMXBean p = platform;
        out.put("available", p != null);
        if (p != null) {
            out.put("defaultPool", p.getDefaultPool());
            out.put("reason", p.getDefaultPoolReason());
            out.put("total", p.getBytesAllocatedInAllPools());
            out.put("leakDetection", p.getLeakDetection());
            out.put("leaksFound", p.getLeaksFound());
            Map<String, Object> retired = new LinkedHashMap<>(p.getRetiredBackends());
            out.put("retired", retired);
        }
        List<MemoryBackendMXBean> sorted = new ArrayList<>(backends.values());
        sorted.sort(Comparator.comparingInt(MemoryBackendMXBean::getRanking).reversed()
                .thenComparing(MemoryBackendMXBean::getName));
        List<Object> b = new ArrayList<>();
        for (MemoryBackendMXBean m : sorted) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.getName());
            row.put("ranking", m.getRanking());
            row.put("installed", m.isInstalled());
            row.put("available", m.isAvailable());
            row.put("reason", m.getUnavailableReason());
            row.put("default", m.isDefault());
            row.put("bytes", m.getBytesAllocated());
            row.put("peak", m.getPeakBytesAllocated());
            row.put("cached", m.getBytesCached());
            row.put("allocations", m.getNumAllocations());
            b.add(row);
        }
        out.put("backends", b);
        List<Map<String, Object>> v = new ArrayList<>();
        for (Map.Entry<String, ChildPoolMXBean> e : views.entrySet()) {
            ChildPoolMXBean m = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.getKey());
            row.put("kind", e.getKey().contains("type=BundlePool") ? "bundle" : "child pool");
            row.put("name", m.getName());
            row.put("owner", m.getOwner());
            row.put("backend", m.getBackend());
            row.put("bytes", m.getBytesAllocated());
            row.put("peak", m.getPeakBytesAllocated());
            row.put("live", m.getLiveBuffers());
            row.put("limit", m.getLimit());
            v.add(row);
        }
        v.sort(Comparator.comparing(r -> (String) r.get("owner")));
        out.put("views", v);
        out.put("history", history.toMap());
        return out;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object pluginRoot = request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        String root = pluginRoot != null ? pluginRoot.toString() : request.getContextPath() + "/system/console/"
                + LABEL;
        PrintWriter out = response.getWriter();
        out.println("<div id='quiver' data-root='" + attribute(root) + "'>");
        out.println("<p class='statline' id='q-status'>Default pool: <b id='q-default'>-</b>"
                + " <span id='q-reason'></span> &middot; allocated in all pools: <b id='q-total'>-</b>"
                + " &middot; leak detection <span id='q-leaks'>-</span></p>");
        out.println("<div class='q-actions'>");
        out.println("<label>Switch the default pool to <select id='q-backend'></select></label>"
                + " <button type='button' id='q-switch'>Switch</button>"
                + " <button type='button' id='q-trim'>Release unused memory</button>");
        out.println("</div>");
        out.println("<p id='q-message' role='status'></p>");
        out.println("<h3>Backends</h3>");
        out.println("<table class='nicetable' id='q-backends'><thead><tr><th>Backend</th><th>Ranking</th>"
                + "<th>State</th><th>Allocated</th><th>Peak</th><th>Cached</th><th>Allocations</th></tr></thead>"
                + "<tbody></tbody></table>");
        out.println("<h3>Allocated bytes, last 10 minutes</h3>");
        out.println("<canvas id='q-chart' width='900' height='240'></canvas>");
        out.println("<h3>Bundles and child pools</h3>");
        out.println("<table class='nicetable' id='q-views'><thead><tr><th>Bundle or child pool</th><th>Backend</th>"
                + "<th>Allocated</th><th>Peak</th><th>Live buffers</th><th>Limit</th><th>Set the limit</th></tr>"
                + "</thead><tbody></tbody></table>");
        out.println("</div>");
        out.println("<script src='" + attribute(root) + "/res/quiver.js'></script>");
    }

    private static String attribute(String s) {
        return s.replace("&", "&amp;").replace("'", "&#39;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
