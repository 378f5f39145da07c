package io.jurunc.vaccel.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.ttrpc.proto.Response;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

/** A hand-rolled ttrpc client over a TCP socket, to send frames the real client never would. */
final class RawTtrpc implements AutoCloseable {
    final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int nextStream = 1;

    RawTtrpc(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    void frame(int length, int stream, int type, byte[] payload) throws IOException {
        frame(length, stream, type, 0, payload);
    }

    void frame(int length, int stream, int type, int flags, byte[] payload) throws IOException {
        out.writeInt(length);
        out.writeInt(stream);
        out.writeByte(type);
        out.writeByte(flags);
        out.write(payload);
        out.flush();
    }

    int request(String service, String method, MessageLite msg) throws IOException {
        byte[] p = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(msg.toByteString())
                .build()
                .toByteArray();
        int id = nextStream;
        nextStream += 2;
        frame(p.length, id, 1, p);
        return id;
    }

    int requestRaw(byte[] payload) throws IOException {
        int id = nextStream;
        nextStream += 2;
        frame(payload.length, id, 1, payload);
        return id;
    }

    /** Reads the next response frame; returns {stream id, raw ttrpc.Response bytes}. */
    Object[] rawResponse() throws IOException {
        int len = in.readInt();
        int stream = in.readInt();
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] p = in.readNBytes(len);
        if (type != 2) {
            throw new IOException("expected a RESPONSE frame, got type " + type);
        }
        return new Object[] {stream, p};
    }

    /** Reads the next response frame; returns {stream id, Response}. */
    Object[] response() throws IOException {
        int len = in.readInt();
        int stream = in.readInt();
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] p = in.readNBytes(len);
        if (type != 2) {
            throw new IOException("expected a RESPONSE frame, got type " + type);
        }
        return new Object[] {stream, Response.parseFrom(p)};
    }

    Response call(String service, String method, MessageLite msg) throws IOException {
        request(service, method, msg);
        return (Response) response()[1];
    }

    static ByteString bytes(byte[] b) {
        return ByteString.copyFrom(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
