package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.quiver.io.DiskFullException;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.memory.Buffer;

/**
 * Run by {@link MapFaultsTest} in a child JVM, because what it provokes is a bus error (SIGBUS) in mapped memory,
 * which could crash a JVM: accesses to pages of a memory map that the file no longer has ({@code truncated DIR})
 * or that a full file system cannot back ({@code disk-full DIR}, DIR on a small tmpfs). Prints one line per case,
 * {@code <case>: <outcome>}: {@code ok}, or the exception's class and message; a case run hot (its code compiled
 * first on good pages, then hit 200 times) prints {@code <case>: translated=N escaped=M other=K}: exceptions of the
 * expected type, the JVM's {@link InternalError}, anything else. Ends with {@code done}; the parent also checks
 * that the JVM did not crash.
 */
public final class MapFaultProbe {

    private static final int SIZE = 1 << 20;
    private static final int PAGE = 4096;
    /** Enough calls that C2 compiles the access (the child runs with -Xbatch: compilation waits). */
    private static final int WARM = 50_000;
    private static final int HITS = 200;

    private MapFaultProbe() {
    }

    /** One access of a case. */
    private interface Access {
        void run() throws IOException;
    }

    private static void once(String name, Access access) {
        String outcome;
        try {
            access.run();
            outcome = "ok";
        } catch (IOException | RuntimeException | Error e) {
            outcome = e.getClass().getName() + ": " + e.getMessage();
        }
        System.out.println(name + ": " + outcome);
    }

    /** Runs {@code good} until compiled, then {@code bad} {@link #HITS} times, counting the exceptions. */
    private static void hot(String name, Class<? extends IOException> expected, Access good, Access bad)
            throws IOException {
        for (int i = 0; i < WARM; i++) {
            good.run();
        }
        int translated = 0;
        int escaped = 0;
        int other = 0;
        String sample = "";
        for (int i = 0; i < HITS; i++) {
            try {
                bad.run();
                other++;
                sample = "no exception";
            } catch (IOException e) {
                if (expected.isInstance(e)) {
                    translated++;
                } else {
                    other++;
                    sample = e.toString();
                }
            } catch (InternalError e) {
                escaped++;
            } catch (RuntimeException e) {
                other++;
                sample = e.toString();
            }
        }
        System.out.println(name + ": translated=" + translated + " escaped=" + escaped + " other=" + other
                + (sample.isEmpty() ? "" : " (" + sample + ")"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "truncated" -> truncated(dir);
            case "disk-full" -> diskFull(dir);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done");
    }

    private static void shrink(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size); // ftruncate(2), as another process would
        }
    }

    /** A file of 1 MiB mapped, then cut to one page under the map, read and written past the new end. */
    private static void truncated(Path dir) throws IOException {
        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("cut"), data);
        int far = SIZE / 2;
        byte[] eight = new byte[8];
        try (MemoryMappedFile read = MemoryMappedFile.open(file, FileMode.READ);
                MemoryMappedFile write = MemoryMappedFile.open(file, FileMode.READ_WRITE);
                Buffer zeroCopy = read.readBufferAt(far, PAGE);
                Buffer into = Buffer.allocate(PAGE)) {
            shrink(file, PAGE);
            // each case first cold (interpreted), on its first call
            once("readAt", () -> read.readAt(far, new byte[PAGE], 0, PAGE));
            once("read", () -> {
                read.seek(far);
                read.read(new byte[PAGE], 0, PAGE);
            });
            once("read into a buffer", () -> {
                read.seek(far);
                read.read(into, 0, PAGE);
            });
            once("position after the failed reads", () -> {
                if (read.tell() != far) {
                    throw new IllegalStateException("moved to " + read.tell());
                }
            });
            once("writeAt", () -> write.writeAt(far, new byte[PAGE], 0, PAGE));
            once("zero-copy getLong", () -> zeroCopy.getLong(8));
            once("zero-copy get", () -> zeroCopy.get(0, new byte[PAGE], 0, PAGE));
            once("the page that is left", () -> {
                byte[] head = new byte[PAGE];
                read.readAt(0, head, 0, PAGE);
                if (!Arrays.equals(head, Arrays.copyOf(data, PAGE))) {
                    throw new IllegalStateException("the first page changed");
                }
            });
        }
        // hot: the code compiled on a whole file, then the file cut under it
        Path hotFile = Files.write(dir.resolve("cut-hot"), data);
        try (MemoryMappedFile read = MemoryMappedFile.open(hotFile, FileMode.READ);
                MemoryMappedFile write = MemoryMappedFile.open(hotFile, FileMode.READ_WRITE);
                Buffer into = Buffer.allocate(8)) {
            // warm on the first page, which stays; the cut makes the rest go
            Access readAtGood = () -> read.readAt(8, eight, 0, 8);
            Access readGood = () -> {
                read.seek(8);
                read.read(into, 0, 8);
            };
            Access writeAtGood = () -> write.writeAt(8, eight, 0, 8);
            for (int i = 0; i < 3; i++) { // compile all three before the cut
                for (int j = 0; j < WARM; j++) {
                    readAtGood.run();
                    readGood.run();
                    writeAtGood.run();
                }
            }
            shrink(hotFile, PAGE);
            hot("hot readAt", java.nio.file.FileSystemException.class, readAtGood, () -> read.readAt(far, eight, 0, 8));
            hot("hot read into a buffer", java.nio.file.FileSystemException.class, readGood, () -> {
                read.seek(far);
                read.read(into, 0, 8);
            });
            hot("hot writeAt", java.nio.file.FileSystemException.class, writeAtGood,
                    () -> write.writeAt(far, eight, 0, 8));
        }
    }

    /**
     * A sparse file of 1 MiB with only its first page written, mapped for writing, on a tmpfs that is then filled:
     * every other page is a hole the file system cannot back.
     */
    private static void diskFull(Path dir) throws IOException {
        Path file = dir.resolve("sparse");
        shrink(file, SIZE);
        byte[] first = new byte[PAGE];
        new Random(8).nextBytes(first);
        Path filler = dir.resolve("filler");
        byte[] eight = new byte[8];
        try (MemoryMappedFile map = MemoryMappedFile.open(file, FileMode.READ_WRITE);
                Buffer whole = map.buffer();
                Buffer source = Buffer.allocate(200)) {
            map.writeAt(0, first, 0, PAGE); // the first page is backed now
            for (int j = 0; j < 2 * WARM; j++) { // compile the cases' code on the backed page, before the disk fills
                map.writeAt(8, first, 8, 8);
                map.readAt(8, eight, 0, 8);
            }
            fill(filler);
            System.out.println("free: " + Files.getFileStore(dir).getUsableSpace());
            // 100 bytes into the backed page, 100 into the hole after it
            once("writeAt across into a hole", () -> map.writeAt(PAGE - 100, new byte[200], 0, 200));
            once("write across into a hole", () -> {
                map.seek(PAGE - 100);
                try {
                    map.write(new byte[200], 0, 200);
                } finally {
                    System.out.println("position after the failed write: " + map.tell());
                }
            });
            once("writeAt a buffer into a hole", () -> map.writeAt(5 * PAGE, source, 0, 200));
            once("readAt a hole", () -> map.readAt(7 * PAGE, new byte[8], 0, 8));
            once("zero-copy setLong into a hole", () -> whole.setLong(9 * PAGE, 42));
            once("the backed page", () -> {
                byte[] head = new byte[PAGE - 100];
                map.readAt(0, head, 0, head.length);
                if (!Arrays.equals(head, Arrays.copyOf(first, PAGE - 100))) {
                    throw new IllegalStateException("the written page changed");
                }
            });
            hot("hot writeAt into holes", DiskFullException.class, () -> map.writeAt(8, first, 8, 8),
                    () -> map.writeAt(11 * PAGE, eight, 0, 8));
            hot("hot readAt of holes", java.nio.file.FileSystemException.class, () -> map.readAt(8, eight, 0, 8),
                    () -> map.readAt(13 * PAGE, eight, 0, 8));
            Files.delete(filler);
            once("writeAt into a hole once there is space", () -> {
                map.writeAt(5 * PAGE, first, 0, PAGE);
                byte[] back = new byte[PAGE];
                map.readAt(5 * PAGE, back, 0, PAGE);
                if (!Arrays.equals(back, first)) {
                    throw new IllegalStateException("read back other bytes");
                }
            });
        } finally {
            Files.deleteIfExists(filler);
        }
    }

    private static void fill(Path filler) throws IOException {
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(filler.toFile())) {
            byte[] page = new byte[PAGE];
            while (true) {
                out.write(page);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
