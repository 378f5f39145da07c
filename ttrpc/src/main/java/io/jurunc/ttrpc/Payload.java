package io.jurunc.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.util.Objects;

/**
 * A message payload that is written straight into its frame: either bytes already encoded or a message
 * serialised on the way out, so a large message is never first copied into a {@code byte[]} of its own.
 */
public interface Payload {
    /** The encoded length. */
    int size();

    void writeTo(CodedOutputStream out) throws IOException;

    static Payload of(byte[] bytes) {
        return new Bytes(com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes));
    }

    static Payload of(ByteString bytes) {
        return new Bytes(bytes);
    }

    static Payload of(MessageLite message) {
        return new Message(message);
    }

    /** Encoded bytes (not copied). */
    record Bytes(ByteString bytes) implements Payload {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public int size() {
            return bytes.size();
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeRawBytes(bytes);
        }
    }

    /** A message, serialised when the frame is written. */
    record Message(MessageLite message) implements Payload {
        public Message {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public int size() {
            return message.getSerializedSize();
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            message.writeTo(out);
        }
    }
}
