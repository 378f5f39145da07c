package io.jurunc.shim.events;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records published events in order. */
public final class RecordingSink implements EventSink {
    public record Published(String topic, Message event) {}

    public final List<Published> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(String topic, Message event) {
        events.add(new Published(topic, event));
    }

    public List<String> topics() {
        synchronized (events) {
            return events.stream().map(Published::topic).toList();
        }
    }
}
