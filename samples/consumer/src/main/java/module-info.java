/** A Quiver application: it requires the API only; the pool and the IO backend are found at run time. */
module com.example.consumer {
    requires org.quiver.api;
}
