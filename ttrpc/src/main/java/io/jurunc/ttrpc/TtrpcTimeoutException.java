package io.jurunc.ttrpc;

import java.time.Duration;

/** No response arrived within the call's timeout (status DEADLINE_EXCEEDED). */
public final class TtrpcTimeoutException extends TtrpcException {
    public TtrpcTimeoutException(String service, String method, Duration timeout) {
        super(
                StatusCode.DEADLINE_EXCEEDED,
                "no response to " + service + "/" + method + " within " + timeout.toMillis() + " ms");
    }
}
