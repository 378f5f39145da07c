package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Checks of ttrpc calls shared by the client and server tests. */
final class TtrpcAssert {
    private TtrpcAssert() {}

    /** Asserts that {@code call} fails with a {@code type} carrying {@code code}. */
    static <E extends TtrpcException> void assertFails(ThrowingCallable call, Class<E> type, StatusCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(type, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Asserts that {@code call} fails with a status {@code code} and exactly {@code message}. */
    static void assertFails(ThrowingCallable call, StatusCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TtrpcStatusException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.statusMessage()).isEqualTo(message);
        });
    }

    /** What the test service's Echo answers to {@code text}. */
    static String echo(TtrpcClient client, String text) throws Exception {
        return client.call(TestServers.SERVICE, "Echo", StringValue.of(text), StringValue.parser())
                .getValue();
    }
}
