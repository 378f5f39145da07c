package io.jurunc.vaccel;

import java.util.List;
import java.util.Objects;

/**
 * An exec call: run {@code symbol} (vAccel's exec ABI {@code int fn(vaccel_arg *r, size_t nr, vaccel_arg *w, size_t nw)})
 * with the read args; results land in the write args' buffers. {@code library} is unused for exec_with_resource.
 */
public record ExecCall(String library, String symbol, List<Arg> read, List<Arg> write) {
    public ExecCall {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isBlank()) {
            throw new VaccelException.InvalidArgumentException("exec needs a function symbol");
        }
        read = List.copyOf(read);
        write = List.copyOf(write);
    }
}
