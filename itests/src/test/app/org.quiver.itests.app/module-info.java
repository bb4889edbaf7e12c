/** A plain application on the module path: it knows the API only; the system pool arrives via ServiceLoader. */
module org.quiver.itests.app {
    requires org.quiver.api;
    // "jmx": a JMX connector server the test connects to (Quiver's MBeans come from org.quiver.platform).
    requires java.management.rmi;
}
