package io.jurunc.ttrpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/** A {@link Connection} backed by a blocking {@link ByteChannel}. */
final class ChannelConnection implements Connection {
    private final ByteChannel channel;
    private final String description;

    ChannelConnection(ByteChannel channel, String description) {
        this.channel = channel;
        this.description = description;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
