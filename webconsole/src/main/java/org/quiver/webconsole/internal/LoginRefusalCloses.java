package org.quiver.webconsole.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.Preprocessor;

/**
 * Closes the connection of a request to the web console that carries a body and is refused by the console's
 * login ({@code 401}), and says so with {@code Connection: close}.
 *
 * <p>The console checks the login before any plugin runs, so nobody reads such a request's body. When the body
 * arrives after the answer, Jetty then closes the kept-alive connection without having said it would, and a
 * client that pools connections (java.net.http, most HTTP/1.1 libraries) sends its next request on a dead one: a
 * POST fails with no answer at all ("header parser received no bytes"), since a client may not repeat a POST by
 * itself. With the header the client opens a new connection instead. Only requests under the console's own path
 * (the {@code osgi.http.whiteboard.context.path} of its context, {@code /system/console} by default) are touched;
 * a request without a body, or any other answer, passes unchanged.
 */
@Component(service = Preprocessor.class)
public final class LoginRefusalCloses implements Preprocessor {

    /** The name of the servlet context the Felix Web Console registers its servlet and security in. */
    static final String CONSOLE_CONTEXT = "org.apache.felix.webconsole";

    private volatile ServiceReference<ServletContextHelper> console;

    @Reference(service = ServletContextHelper.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + CONSOLE_CONTEXT + ")")
    void bindConsole(ServiceReference<ServletContextHelper> reference) {
        console = reference;
    }

    void unbindConsole(ServiceReference<ServletContextHelper> reference) {
        if (console == reference) { // a greedy replacement binds the new context before it unbinds the old one
            console = null;
        }
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServiceReference<ServletContextHelper> c = console;
        if (c != null && request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                && carriesBody(http)
                && under(http.getRequestURI(), c.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH))) {
            response = new ClosingOnLoginRefusal(answer);
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        // nothing to release
    }

    static boolean carriesBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Whether {@code uri} is {@code path} or below it; {@code path} "/" (or none) is the whole server. */
    static boolean under(String uri, Object path) {
        String root = path instanceof String s ? s : "/";
        if (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return uri != null && (root.isEmpty() || uri.equals(root) || uri.startsWith(root + "/"));
    }

    /** An answer that adds {@code Connection: close} when its status becomes 401. */
    static final class ClosingOnLoginRefusal extends HttpServletResponseWrapper {

        ClosingOnLoginRefusal(HttpServletResponse response) {
            super(response);
        }

        private void closeIfRefused(int status) {
            if (status == SC_UNAUTHORIZED && !isCommitted()) {
                setHeader("Connection", "close");
            }
        }

        @Override
        public void setStatus(int status) {
            closeIfRefused(status);
            super.setStatus(status);
        }

        @Override
        public void sendError(int status) throws IOException {
            closeIfRefused(status);
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            closeIfRefused(status);
            super.sendError(status, message);
        }
    }
}
