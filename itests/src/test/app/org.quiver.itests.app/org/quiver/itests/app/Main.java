package org.quiver.itests.app;

import java.util.Arrays;

import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Prints {@code key=value} lines that ModulePathIT checks; exits 1 if something it checks itself is wrong.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 2 && args[0].equals("hdfs")) {
            hdfs(args[1]);
            return;
        }
        if (args.length == 1 && args[0].equals("jmx")) {
            jmx();
            return;
        }
        if (args.length == 2 && args[0].equals("io")) {
            io(java.nio.file.Path.of(args[1]));
            return;
        }
        Module api = MemoryPool.class.getModule();
        System.out.println("app.module=" + Main.class.getModule().getName());
        System.out.println("api.module=" + api.getName());
        System.out.println("pool.system.module=" + ModuleLayer.boot().findModule("org.quiver.pool.system")
                .map(Module::getName).orElse("absent"));
        System.out.println("class.path=" + System.getProperty("java.class.path", ""));
        System.out.println("api.native.access=" + api.isNativeAccessEnabled());

        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            System.out.println("backend." + b.name() + "=available:" + b.available() + ",default:" + b.isDefault()
                    + ",ranking:" + b.ranking() + (b.available() ? "" : ",reason:" + b.unavailableReason()));
        }

        MemoryPool pool = MemoryPool.defaultPool();
        System.out.println("default.backend=" + pool.backendName());
        long before = pool.bytesAllocated();
        long totalBefore = MemoryPool.bytesAllocatedInAllPools();
        byte[] written = new byte[1000];
        for (int i = 0; i < written.length; i++) {
            written[i] = (byte) (i * 13 + 1);
        }
        boolean same;
        try (ResizableBuffer buffer = pool.allocate(written.length)) {
            System.out.println("buffer.capacity=" + buffer.capacity());
            System.out.println("buffer.aligned64=" + (buffer.address() % 64 == 0));
            System.out.println("allocated.delta=" + (pool.bytesAllocated() - before));
            buffer.put(0, written, 0, written.length);
            buffer.setLong(992, 0x1122334455667788L);
            byte[] read = buffer.toByteArray();
            same = Arrays.equals(Arrays.copyOf(written, 992), Arrays.copyOf(read, 992))
                    && buffer.getLong(992) == 0x1122334455667788L;
            buffer.resize(1 << 21); // the mmap path of the system allocator
            same &= buffer.getLong(992) == 0x1122334455667788L && buffer.getByte(5) == written[5];
        }
        System.out.println("readback=" + (same ? "ok" : "MISMATCH"));
        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            if (b.available()) {
                MemoryPool named = MemoryPool.pool(b.name());
                boolean ok;
                try (ResizableBuffer buffer = named.allocate(100)) {
                    buffer.setLong(64, 42L);
                    buffer.resize(1 << 20);
                    ok = buffer.getLong(64) == 42L && buffer.address() % 64 == 0;
                }
                same &= ok;
                System.out.println("pool." + b.name() + "=" + (ok ? "ok" : "MISMATCH") + ",outstanding:"
                        + named.bytesAllocated());
            }
        }
        System.out.println("allocated.after.close=" + (pool.bytesAllocated() - before));
        System.out.println("total.after.close=" + (MemoryPool.bytesAllocatedInAllPools() - totalBefore));
        System.out.println("done");
        if (!same) {
            System.exit(1);
        }
    }

    /** Listens on the loopback interface only. */
    private static final class Loopback implements java.rmi.server.RMIServerSocketFactory, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws java.io.IOException {
            return new java.net.ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress());
        }
    }

    /**
     * Holds a buffer of the default pool and one of a child pool, serves JMX on 127.0.0.1 and prints its address;
     * after a line on standard input, prints what the test changed through JMX and frees everything.
     */
    private static void jmx() throws java.io.IOException {
        MemoryPool pool = MemoryPool.defaultPool();
        ResizableBuffer big = pool.allocate(1 << 20);
        org.quiver.memory.ChildPool child = pool.newChild("modpath-child", 1 << 16);
        ResizableBuffer small = child.allocate(3000);
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        java.util.Map<String, Object> env = new java.util.HashMap<>();
        env.put(javax.management.remote.rmi.RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new Loopback());
        javax.management.remote.JMXConnectorServer server = javax.management.remote.JMXConnectorServerFactory
                .newJMXConnectorServer(new javax.management.remote.JMXServiceURL("service:jmx:rmi://127.0.0.1"), env,
                        java.lang.management.ManagementFactory.getPlatformMBeanServer());
        server.start();
        System.out.println("jmx.url=" + server.getAddress());
        System.out.flush();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        System.out.println("stdin=" + line);
        System.out.println("default.after=" + MemoryPool.defaultPool().backendName());
        System.out.println("child.limit=" + child.limit());
        System.out.println("leak.detection=" + org.quiver.memory.LeakDetection.level());
        small.close();
        child.close();
        big.close();
        server.stop();
        System.out.println("outstanding=" + MemoryPool.bytesAllocatedInAllPools());
        System.out.println("done");
    }

    /** io-hdfs on the module path: the registry serves hdfs: URIs; plain and compressed files round-trip. */
    private static void hdfs(String base) throws java.io.IOException {
        System.out.println("hdfs.module=" + ModuleLayer.boot().findModule("org.quiver.io.hdfs")
                .map(Module::getName).orElse("absent"));
        System.out.println("hadoop.module=" + ModuleLayer.boot().findModule("hadoop.client.api")
                .map(m -> m.getDescriptor().isAutomatic() ? "automatic" : "named").orElse("absent"));
        System.out.println("schemes=" + org.quiver.io.QuiverFileSystem.supportedSchemes());
        byte[] data = new byte[2_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251 + i / 1000);
        }
        try (org.quiver.io.QuiverFileSystem fs = org.quiver.io.QuiverFileSystem.fromUri(java.net.URI.create(base))) {
            String dir = java.net.URI.create(base).getPath();
            try (org.quiver.io.SequentialOutput out = fs.openOutput(dir + "/data.bin")) {
                out.write(data);
            }
            boolean same;
            try (org.quiver.io.RandomAccessInput in = fs.openRandomAccess(dir + "/data.bin");
                    org.quiver.memory.Buffer b = in.readBufferAt(0, data.length)) {
                same = Arrays.equals(data, b.toByteArray());
            }
            System.out.println("write.read=" + (same ? "ok" : "MISMATCH"));
            try (org.quiver.io.SequentialOutput out = org.quiver.io.NativeFiles.openOutput(base + "/data.bin.zst")) {
                out.write(data);
            }
            try (org.quiver.io.SequentialInput in = org.quiver.io.NativeFiles.openInput(base + "/data.bin.zst")) {
                System.out.println("zstd=" + (Arrays.equals(data, in.readAll()) ? "ok" : "MISMATCH"));
            }
            System.out.println("listed=" + fs.list(org.quiver.io.FileSelector.of(dir)).size());
        }
        System.out.println("outstanding=" + MemoryPool.defaultPool().bytesAllocated());
        System.out.println("done");
    }

    /** io-native on the module path: found through ServiceLoader, every codec, the file: registry, maps. */
    private static void io(java.nio.file.Path dir) throws java.io.IOException {
        System.out.println("io.module=" + ModuleLayer.boot().findModule("org.quiver.io.nativeio")
                .map(Module::getName).orElse("absent"));
        System.out.println("schemes=" + org.quiver.io.QuiverFileSystem.supportedSchemes());
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251 + i / 1000);
        }
        java.net.URI base = dir.toUri();
        for (org.quiver.io.Compression c : org.quiver.io.Compression.values()) {
            String name = "data" + (c.extensions().isEmpty() ? ".bin" : c.extensions().get(0));
            try (org.quiver.io.SequentialOutput out = org.quiver.io.NativeFiles.openOutput(base + name)) {
                out.write(data);
            }
            byte[] back;
            try (org.quiver.io.SequentialInput in = org.quiver.io.NativeFiles.openInput(base.resolve(name))) {
                back = in.readAll();
            }
            System.out.println("codec." + c.pyarrowName() + "=" + (Arrays.equals(data, back) ? "ok" : "MISMATCH"));
        }
        org.quiver.io.QuiverFileSystem fs = org.quiver.io.QuiverFileSystem.fromUri(base);
        System.out.println("listed=" + fs.list(org.quiver.io.FileSelector.of(base.toString())).size());
        try (org.quiver.io.MemoryMappedFile map = org.quiver.io.MemoryMappedFile.open(dir.resolve("data.bin"),
                org.quiver.io.FileMode.READ); org.quiver.memory.Buffer b = map.readBufferAt(5000, 8)) {
            System.out.println("map=" + (b.getByte(3) == data[5003] ? "ok" : "MISMATCH"));
        }
        try (org.quiver.io.OSFile f = org.quiver.io.OSFile.open(dir.resolve("data.bin"), org.quiver.io.FileMode.READ);
                org.quiver.memory.Buffer b = f.readBufferAt(7000, 8)) {
            System.out.println("osfile=" + (b.getByte(1) == data[7001] ? "ok" : "MISMATCH"));
        }
        System.out.println("outstanding=" + MemoryPool.defaultPool().bytesAllocated());
        System.out.println("done");
    }
}
