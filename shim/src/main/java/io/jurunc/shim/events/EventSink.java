package io.jurunc.shim.events;

import com.google.protobuf.Message;

/** Where the task service sends its events; implementations keep the order of the calls. */
@FunctionalInterface
public interface EventSink {
    void publish(String topic, Message event);
}
