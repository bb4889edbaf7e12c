package org.quiver.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * pyarrow's {@code transcoding_input_stream}: text of one charset read as another, streaming, with characters
 * split across every buffer boundary, and malformed, unmappable or cut input refused with the byte offset.
 */
class TranscodingTest {

    /** Text with one-, two-, three- and four-byte UTF-8 characters (and surrogate pairs in UTF-16). */
    static String text(int n) {
        String[] pieces = {"arrow ", "é", "€", "漢字", "\uD83C\uDFF9", "\n", "quiver ", "ß"};
        Random random = new Random(n);
        StringBuilder s = new StringBuilder();
        while (s.length() < n) {
            s.append(pieces[random.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    private static byte[] readAll(SequentialInput in, int chunk) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        for (int n; (n = in.read(b, 0, b.length)) >= 0; ) {
            all.write(b, 0, n);
        }
        return all.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64, 65536})
    void transcodesAcrossEveryBufferBoundary(int bufferSize) throws IOException {
        String s = text(20_000);
        for (Charset[] pair : new Charset[][] {{StandardCharsets.UTF_16LE, StandardCharsets.UTF_8},
                {StandardCharsets.UTF_8, StandardCharsets.UTF_16BE}, {StandardCharsets.UTF_8, StandardCharsets.UTF_16}}) {
            try (SequentialInput in = new TranscodingInput(BufferInput.of(s.getBytes(pair[0])), pair[0], pair[1],
                    bufferSize)) {
                byte[] got = readAll(in, 1 + bufferSize % 13);
                assertArrayEquals(s.getBytes(pair[1]), got, pair[0] + " to " + pair[1] + ", buffers of " + bufferSize);
                assertEquals(got.length, in.tell());
                assertEquals(-1, in.read(new byte[4], 0, 4), "and stays at the end");
            }
        }
    }

    @Test
    void byNameAsPythonSpellsThem() throws IOException {
        String s = "naïve café";
        try (SequentialInput in = NativeFiles.transcoding(BufferInput.of(s.getBytes(StandardCharsets.ISO_8859_1)),
                "latin-1", "utf8")) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), in.readAll());
        }
        BufferInput source = BufferInput.of(new byte[] {1});
        assertSame(source, NativeFiles.transcoding(source, "utf-8", "UTF8"), "the same charset: as it is");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> NativeFiles.transcoding(source, "utf-8", "klingon"));
        assertEquals("unknown charset: to=klingon", unknown.getMessage());
        source.close();
    }

    @Test
    void buffersAndPoolsWork() throws IOException {
        String s = text(5000);
        MemoryPool pool = MemoryPool.proxy(MemoryPool.defaultPool());
        try (SequentialInput in = NativeFiles.transcoding(BufferInput.of(s.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8, StandardCharsets.UTF_16LE);
                Buffer head = in.readBuffer(1001, pool);
                Buffer rest = in.readBuffer(1 << 20, pool)) {
            byte[] expected = s.getBytes(StandardCharsets.UTF_16LE);
            assertEquals(1001, head.size());
            assertArrayEquals(java.util.Arrays.copyOf(expected, 1001), head.toByteArray());
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, 1001, expected.length), rest.toByteArray());
        }
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void malformedInputIsReportedWithItsOffsetAndWhatCameBeforeStays() throws IOException {
        byte[] bad = {'a', 'b', 'c', (byte) 0xC3, '(', 'd'}; // 0xC3 must be followed by a continuation byte
        try (SequentialInput in = new TranscodingInput(BufferInput.of(bad), StandardCharsets.UTF_8,
                StandardCharsets.UTF_16BE, 2)) {
            byte[] got = new byte[64];
            int n = 0;
            MalformedInputException e = null;
            try {
                for (int k; (k = in.read(got, n, got.length - n)) >= 0; ) {
                    n += k;
                }
            } catch (MalformedInputException thrown) {
                e = thrown;
            }
            assertTrue(e != null, "malformed input must not pass");
            assertEquals(6, n, "abc decoded before the bad byte");
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_16BE), java.util.Arrays.copyOf(got, n));
            assertTrue(e.getMessage().endsWith("malformed UTF-8 input at byte 3 (1 byte)"), e.getMessage());
            assertThrows(MalformedInputException.class, () -> in.read(new byte[1], 0, 1), "and again");
        }
    }

    @Test
    void dataCutInsideACharacterIsMalformed() throws IOException {
        byte[] cut = {'a', (byte) 0xE2, (byte) 0x82}; // the first two bytes of the euro sign
        try (SequentialInput in = NativeFiles.transcoding(BufferInput.of(cut), StandardCharsets.UTF_8,
                StandardCharsets.UTF_16LE)) {
            MalformedInputException e = assertThrows(MalformedInputException.class, in::readAll);
            assertTrue(e.getMessage().contains("at byte 1"), e.getMessage());
        }
    }

    @Test
    void aCharacterTheTargetCannotHoldIsRefused() throws IOException {
        try (SequentialInput in = NativeFiles.transcoding(BufferInput.of("price: 5€".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
            UnmappableCharacterException e = assertThrows(UnmappableCharacterException.class, in::readAll);
            assertTrue(e.getMessage().contains("a character that ISO-8859-1 cannot encode"), e.getMessage());
        }
    }

    @Test
    void closingClosesTheSourceAndAClosedSourceIsRefused() throws IOException {
        BufferInput source = BufferInput.of("x".getBytes(StandardCharsets.UTF_8));
        SequentialInput in = NativeFiles.transcoding(source, StandardCharsets.UTF_8, StandardCharsets.UTF_16LE);
        assertFalse(in.isSeekable());
        in.close();
        assertTrue(source.isClosed());
        assertThrows(IllegalStateException.class, () -> in.read(new byte[1], 0, 1));
        assertThrows(IllegalStateException.class,
                () -> NativeFiles.transcoding(source, StandardCharsets.UTF_8, StandardCharsets.UTF_16LE));
    }

    /**
     * Random bytes, mostly valid UTF-8 with random damage, against the JDK's strict one-shot decoding: the stream
     * gives the same bytes where that succeeds and refuses where it fails, at every buffer size.
     */
    @Test
    void agreesWithTheJdksOneShotDecodingOnDamagedInput() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            byte[] input = text(1 + random.nextInt(300)).getBytes(StandardCharsets.UTF_8);
            int damage = random.nextInt(3);
            for (int d = 0; d < damage; d++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
            }
            byte[] expected;
            try {
                String decoded = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(input)).toString();
                expected = decoded.getBytes(StandardCharsets.UTF_16LE);
            } catch (java.nio.charset.CharacterCodingException e) {
                expected = null;
            }
            int bufferSize = 1 + random.nextInt(40);
            try (SequentialInput in = new TranscodingInput(BufferInput.of(input), StandardCharsets.UTF_8,
                    StandardCharsets.UTF_16LE, bufferSize)) {
                byte[] got;
                try {
                    got = readAll(in, 1 + random.nextInt(17));
                } catch (MalformedInputException e) {
                    got = null;
                }
                if (expected == null) {
                    assertEquals(null, got, "input " + i + " is not UTF-8, yet it was read");
                } else {
                    assertArrayEquals(expected, got, "input " + i + ", buffers of " + bufferSize);
                }
            }
        }
    }
}
