package org.quiver.platform.internal;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Forwards every OSGi Log Service entry (Declarative Services, Configuration Admin, File Install, any bundle that
 * logs there) to the JDK's logging under the entry's logger name, with the bundle that logged it: where the
 * distribution's launcher writes the log folder, and where Quiver's own messages already go. Without a Log Service
 * this component is simply never satisfied.
 */
@Component(service = {}, immediate = true)
public final class LogBridge implements LogListener {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addReader(LogReaderService reader) {
        reader.addLogListener(this);
    }

    void removeReader(LogReaderService reader) {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        System.Logger.Level level = switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
            case TRACE -> System.Logger.Level.TRACE;
        };
        String name = entry.getLoggerName();
        if (name != null && name.startsWith("Events.") && entry.getException() == null
                && level.getSeverity() < System.Logger.Level.WARNING.getSeverity()) {
            level = System.Logger.Level.DEBUG; // the Log Service's record of every bundle and service event
        }
        System.Logger logger = System.getLogger(name == null || name.isBlank() ? "osgi" : name);
        if (!logger.isLoggable(level)) {
            return;
        }
        Bundle bundle = entry.getBundle();
        String from = bundle == null ? "" : "[" + bundle.getSymbolicName() + "] ";
        if (entry.getException() != null) {
            logger.log(level, from + entry.getMessage(), entry.getException());
        } else {
            logger.log(level, from + entry.getMessage());
        }
    }
}
