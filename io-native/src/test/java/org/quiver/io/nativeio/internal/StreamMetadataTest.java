package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.SequentialInput;
import org.quiver.io.StreamOptions;

/** pyarrow's {@code NativeFile.metadata()} (C++ {@code ReadMetadata}) on local files: the file's attributes. */
class StreamMetadataTest extends OsFileTestBase {

    @Test
    void aLocalFileGivesItsAttributes() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "some notes");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Instant mtime = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        PosixFileAttributes expected = Files.readAttributes(file, PosixFileAttributes.class);
        try (OSFile f = OSFile.open(file, FileMode.READ)) {
            Map<String, String> m = f.metadata();
            assertEquals(List.of("size", "mtime", "atime", "owner", "group", "permissions", "content_type"),
                    List.copyOf(m.keySet()), "a stable order");
            assertEquals("10", m.get("size"));
            assertEquals("2026-01-02T03:04:05.123456789Z", m.get("mtime"), "ISO-8601, to the nanosecond");
            assertEquals(expected.lastAccessTime().toInstant().toString(), m.get("atime"));
            assertEquals(expected.owner().getName(), m.get("owner"));
            assertEquals(expected.group().getName(), m.get("group"));
            assertEquals("rw-r-----", m.get("permissions"));
            assertEquals("text/plain", m.get("content_type"), "from the system's MIME table");
        }
    }

    /** The descriptor leads to the open file: renamed, deleted or replaced, it is still the file that is read. */
    @Test
    void anOpenFileIsAskedThroughItsDescriptor() throws IOException {
        Path file = Files.writeString(dir.resolve("first"), "1234");
        try (OSFile f = OSFile.open(file, FileMode.READ)) {
            Files.delete(file);
            Files.writeString(file, "a different, longer file at the same path");
            assertEquals("4", f.metadata().get("size"), "the open file's, not the path's");
            Files.delete(file);
            assertEquals("4", f.metadata().get("size"), "and still there once deleted");
        }
    }

    @Test
    void layersAndRangesGiveTheirFilesMetadata() throws IOException {
        Path file = dir.resolve("rows.csv.gz");
        try (var out = NativeFiles.openOutput(file)) {
            out.write("a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (OSFile raw = OSFile.open(file, FileMode.READ);
                SequentialInput decoded = NativeFiles.openInput(file, StreamOptions.detect().withBufferSize(16));
                SequentialInput range = raw.openRange(0, 2);
                SequentialInput text = NativeFiles.transcoding(NativeFiles.openInput(file), "utf-8", "utf-16")) {
            Map<String, String> m = raw.metadata();
            assertEquals(Long.toString(Files.size(file)), m.get("size"), "the stored (compressed) size");
            assertEquals("application/gzip", m.get("content_type"));
            assertEquals(m, decoded.metadata());
            assertEquals(m, range.metadata());
            assertEquals(m, text.metadata());
        }
        try (RandomAccessInput fromFs = QuiverFileSystem.local().openRandomAccess(file.toString())) {
            assertEquals(Long.toString(Files.size(file)), fromFs.metadata().get("size"));
        }
    }

    @Test
    void mapsGiveTheirFilesAttributes() throws IOException {
        Path file = Files.write(dir.resolve("mapped.zq9"), new byte[8192]);
        try (MemoryMappedFile readOnly = MemoryMappedFile.open(file, FileMode.READ);
                MemoryMappedFile writable = MemoryMappedFile.open(file, FileMode.READ_WRITE)) {
            assertEquals("8192", readOnly.metadata().get("size"));
            writable.resize(10_000);
            assertEquals("10000", writable.metadata().get("size"), "asked at the call");
            assertFalse(readOnly.metadata().containsKey("content_type"), "no MIME type for .zq9: " + readOnly.metadata());
            Files.delete(file);
            // a read-only map keeps no descriptor, so its file is asked by path, and it is gone
            FileSystemException gone = assertThrows(FileSystemException.class, readOnly::metadata);
            assertTrue(gone.getMessage().startsWith(file + ": metadata: "), gone.getMessage());
            assertEquals("10000", writable.metadata().get("size"), "a writable map asks its descriptor");
        }
    }

    @Test
    void filesWithoutAttributesGiveNone() throws IOException {
        try (SequentialInput bytes = NativeFiles.openInput(new byte[10]);
                SequentialInput stream = NativeFiles.wrap(new java.io.ByteArrayInputStream(new byte[10]))) {
            assertEquals(Map.of(), bytes.metadata());
            assertEquals(Map.of(), stream.metadata());
        }
    }
}
